import { afterEach, describe, expect, it } from 'vitest';
import type { Address, Outbound } from '../../src/channel/messages.js';
import { createTexts, LOCALES, type Locale } from '../../src/i18n/i18n.js';
import { KF_ACCOUNT, openChatWorld, type ChatWorld } from '../helpers/chat-script.js';

/**
 * Every command a text tells people to reply works, in every locale, for the people the text is for:
 * a staff member who types what the staff help says must not get the help text back.
 */
const texts = createTexts();
const STAFF = { userId: 'wangcadre', name: '王建国' };
const STAFF_ADDRESS: Address = { channel: 'app', userId: STAFF.userId };
const household = (externalUserId: string): Address => ({ channel: 'kf', openKfId: KF_ACCOUNT, externalUserId });
/** What a person types to read the bot in a locale. */
const LOCALE_WORD: Record<Locale, string> = { 'zh-CN': '中文', en: 'english' };
/** The words that ask for the help text itself. */
const HELP_WORDS = new Set(['帮助', 'help']);

/** Texts that advertise replies, and who reads them. */
const ADVERTISING_TEXTS: { key: string; audience: 'household' | 'staff' }[] = [
  { key: 'common:help.household', audience: 'household' },
  { key: 'common:help.staff', audience: 'staff' },
  { key: 'common:monthlyCheckComing', audience: 'staff' },
  { key: 'common:unsupportedMedia', audience: 'household' },
  { key: 'common:setAside', audience: 'household' },
  { key: 'cases:handover.replyCase', audience: 'household' },
  { key: 'cases:handover.replyNone', audience: 'household' },
  { key: 'staff:movedOn', audience: 'staff' },
  { key: 'staff:todo.page', audience: 'staff' },
  { key: 'staff:todo.lastPage', audience: 'staff' },
  { key: 'staff:todo.pickInForm', audience: 'staff' },
  { key: 'staff:todo.noSuchItem', audience: 'staff' },
  { key: 'staff:todo.itemGone', audience: 'staff' },
];

/** The quoted words of a text: “…” in Chinese, "…" in English. */
function quotedCommands(locale: Locale, text: string): string[] {
  const pattern = locale === 'zh-CN' ? /“([^”]+)”/g : /"([^"]+)"/g;
  return [...text.matchAll(pattern)].map((m) => m[1]!);
}

const render = (locale: Locale, key: string) => texts.t(locale, key, { name: STAFF.name, count: 2, caseNumber: '20261122-0001', contactName: 'x', contactPhone: '1', example: 1, n: 1, from: 1, to: 10 });
const helpFor = (locale: Locale, audience: 'household' | 'staff') =>
  audience === 'household' ? texts.t(locale, 'common:help.household') : texts.t(locale, 'common:help.staff', { name: STAFF.name });
const replyTexts = (replies: Outbound[]) => replies.map((r) => (r.type === 'card' ? `[card] ${r.card.main_title?.title ?? ''}` : r.text));

let world: ChatWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

describe('what the help texts advertise', () => {
  it('finds quoted commands in every advertising text (so the check below checks something)', () => {
    for (const locale of LOCALES) {
      for (const { key } of ADVERTISING_TEXTS) expect(quotedCommands(locale, render(locale, key)), `${locale} ${key}`).not.toEqual([]);
    }
  });

  it('does not advertise the monthly check (排查) while it cannot be done by chat', () => {
    expect(render('zh-CN', 'common:help.staff')).not.toContain('排查');
    expect(render('en', 'common:help.staff')).not.toMatch(/"check"/);
  });

  it('every quoted command is understood by the real conversation service, in each locale, for the people it is meant for', async () => {
    world = await openChatWorld();
    const failures: string[] = [];
    let households = 0;
    for (const locale of LOCALES) {
      for (const { key, audience } of ADVERTISING_TEXTS) {
        for (const word of quotedCommands(locale, render(locale, key))) {
          // A fresh household for each word; the staff member is one person, switched to the text's locale first.
          const from: Address = audience === 'household' ? household(`wmHelpCheck${++households}`) : STAFF_ADDRESS;
          await world.say(from, LOCALE_WORD[locale]);
          const replies = replyTexts(await world.say(from, word));
          // A word that starts a flow (上报线索) leaves the staff member in it: out again before the next word.
          if (audience === 'staff') await world.say(from, '取消');
          const help = helpFor(locale, audience);
          const label = `${locale} ${key} "${word}" as ${audience} → ${JSON.stringify(replies)}`;
          if (replies.length === 0) failures.push(`${label}: no answer`);
          else if (HELP_WORDS.has(word) ? replies[0] !== help : replies.includes(help)) failures.push(`${label}: ${HELP_WORDS.has(word) ? 'no help text' : 'not understood (help text)'}`);
        }
      }
    }
    expect(failures).toEqual([]);
  });

  it('排查 and "check" say honestly that monthly checks by chat are coming, and what to do meanwhile', async () => {
    world = await openChatWorld();
    const zh = replyTexts(await world.say(STAFF_ADDRESS, '排查'));
    expect(zh).toEqual([texts.t('zh-CN', 'common:monthlyCheckComing', { name: STAFF.name })]);
    expect(zh[0]).toContain('走访');

    await world.say(STAFF_ADDRESS, 'english');
    const en = replyTexts(await world.say(STAFF_ADDRESS, 'Check'));
    expect(en).toEqual([texts.t('en', 'common:monthlyCheckComing', { name: STAFF.name })]);
    // A household typing 排查 is not told about staff work.
    expect(replyTexts(await world.say(household('wmCurious'), '排查'))).toEqual([texts.t('zh-CN', 'common:help.household')]);
  });
});
