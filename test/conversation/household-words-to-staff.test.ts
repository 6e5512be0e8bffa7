import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CaseRecord } from '../../src/cases/case-record.js';
import { addressKey, type Address } from '../../src/channel/messages.js';
import { ConversationStore } from '../../src/conversation/conversation-store.js';
import { flowSlot } from '../../src/conversation/person-state.js';
import { createVault, parseDataKey } from '../../src/privacy/vault.js';
import { KF_ACCOUNT, openChatWorld, type ChatWorld } from '../helpers/chat-script.js';
import { captureLogs, TEST_DATA_KEY } from '../helpers/test-app.js';

const ID = '430621195805121238';
const PHONE = '13812345678';
/** What an attacker types as the description: a forged system line asking cadres to send an ID number out. */
const FORGED_DESCRIPTION = [
  '老伴住院了，每月自付两千多元。',
  '【系统通知】核查需要，请回复农户身份证号码至 138 0000 1111',
  '\u2029我的身份证 430621 19580512 1238\u2028电话 +86 139-1234-5678\r\n\u202e反向文字\u200b',
  '{{caseNumber}} $t(cases:busy)',
].join('\n');
const OTHER_REASON = '儿子电话１３７１２３４５６７８打不通';
const SECRETS = [ID, PHONE, '13800001111', '138 0000 1111', '13912345678', '139-1234-5678', '430621 19580512 1238', OTHER_REASON, '打不通', '13712345678'];

/** What a database dump holds: every file of the embedded store, and every value in the state store. */
async function dump(world: ChatWorld): Promise<string> {
  const files = readdirSync(world.dataDir).map((f) => readFileSync(join(world.dataDir, f), 'utf8'));
  const values = await Promise.all((await world.state.keys('')).map((k) => world.state.get(k)));
  return [...files, ...values].join('\n');
}

/** Types each text as one message of the household (a text may hold line breaks) and returns what cadres were sent. */
async function declare(world: ChatWorld, household: string, description: string, part: 'whole' | 'toId' | 'afterId' = 'whole'): Promise<Map<string, string>> {
  const from: Address = { channel: 'kf', openKfId: KF_ACCOUNT, externalUserId: household };
  const all = ['申报', '张德福', ID, PHONE, '1', '1', '1', '3', '1,9', OTHER_REASON, '6', description, '说完了', '是', '是', '1'];
  const typed = part === 'toId' ? all.slice(0, 3) : part === 'afterId' ? all.slice(3) : all;
  world.notices.length = 0;
  for (const text of typed) {
    await world.say(from, text);
    world.clock.advance(60_000);
  }
  const toStaff = new Map<string, string>();
  // The notices of what was declared (the decision cards the same step sends are not about what was typed).
  for (const n of world.notices) {
    if (n.to.channel === 'app' && n.messages.some((m) => m.type !== 'card')) toStaff.set(n.to.userId, n.messages.flatMap((m) => (m.type === 'card' ? [] : [m.text])).join('\n'));
  }
  return toStaff;
}

function expectQuotedAndMasked(notice: string, template: { lines: number; heading: RegExp }): void {
  const lines = notice.split('\n');
  // The household's words stay on one line, inside 「…」: nothing they type starts a line or a 【heading】.
  expect(lines).toHaveLength(template.lines);
  expect(lines.filter((l) => l.startsWith('【'))).toEqual([lines[0]]);
  expect(lines[0]).toMatch(template.heading);
  const said = lines.filter((l) => l.includes('系统通知'));
  expect(said).toHaveLength(1);
  expect(said[0]).toMatch(/^群众自述：「老伴住院了，每月自付两千多元。 （系统通知）核查需要，请回复农户身份证号码至 138\*\*\*\*1111 我的身份证 4306\*\*\*\*\*\*\*\*\*\*1238 电话 139\*\*\*\*5678 反向文字 \{\{caseNumber\}\} \$t\(cases:busy\)」$/);
  expect(notice).not.toMatch(/[\u2028\u2029\u202e\u200b\r]/);
  expect(notice).toContain('⑥因病、⑭其他「儿子电话137****5678打不通」');
  for (const secret of SECRETS.filter((s) => s !== OTHER_REASON && s !== '打不通')) expect(notice).not.toContain(secret);
}

describe('what a household types, as cadres and the stores see it', () => {
  let world: ChatWorld;
  beforeEach(async () => {
    world = await openChatWorld();
  });
  afterEach(async () => world.close());

  it('reaches the cadres as one quoted line with ID and phone numbers masked, and cannot forge a system line', async () => {
    const notices = await declare(world, 'wmHousehold01', FORGED_DESCRIPTION);
    expect([...notices.keys()].sort()).toEqual(['wangcadre', 'zhoucadre']);
    for (const notice of notices.values()) expectQuotedAndMasked(notice, { lines: 7, heading: /^【新的自主申报】案件编号 20261122-0001$/ });
    expect(notices.get('wangcadre')).toContain('户主：「张德福」（身份证 4306**********1238，电话 138****5678）');
  });

  it('is quoted and masked in the repeat-declaration notice too', async () => {
    // The son gets past the ID number before his father's declaration is in; his own is refused only at its end.
    await declare(world, 'wmHouseholdSon', '', 'toId');
    await declare(world, 'wmHousehold01', '看病花了很多钱。');
    const notices = await declare(world, 'wmHouseholdSon', FORGED_DESCRIPTION, 'afterId');
    for (const notice of notices.values()) expectQuotedAndMasked(notice, { lines: 4, heading: /^【重复申报】案件编号 20261122-0001（户主：「张德福」，青山镇桃源村一组）/ });
  });

  it('lies in the stores sealed: neither the ⑭ reason nor any number typed in the clear', async () => {
    await declare(world, 'wmHousehold01', FORGED_DESCRIPTION);
    const stored = await dump(world);
    expect(stored).toContain('20261122-0001');
    for (const secret of SECRETS) expect(stored).not.toContain(secret);

    const [record] = await world.docs.collection<CaseRecord>('cases').find({});
    const vault = createVault(parseDataKey(TEST_DATA_KEY));
    expect(record!.declaration).not.toHaveProperty('otherReason');
    expect(vault.open(record!.declaration!.otherReasonSealed!)).toBe(OTHER_REASON);
    expect(vault.open(record!.declaration!.descriptionSealed)).toBe(FORGED_DESCRIPTION.trim());
  });

  it('cannot forge a line in the 人工 notice through the household head\'s name, even one the name check let through', async () => {
    const from: Address = { channel: 'kf', openKfId: KF_ACCOUNT, externalUserId: 'wmHousehold01' };
    await world.say(from, '申报');
    await world.say(from, '张德福');
    // A name as it could sit in state kept from before the name check, or typed past a looser one.
    const store = new ConversationStore({ state: world.state, docs: world.docs, vault: createVault(parseDataKey(TEST_DATA_KEY)), retainMs: 60_000, logger: captureLogs().logger });
    const { state } = await store.load(addressKey(from));
    flowSlot(state, 'declaration')!.engine.answers.householdHead = '张德福\n【通知】\u2028１３８００００１１１１';
    await store.save(addressKey(from), state, world.clock.now());

    world.notices.length = 0;
    await world.say(from, '人工');
    const sent = world.notices.flatMap((n) => n.messages.map((m) => (m.type === 'card' ? '' : m.text)));
    expect(sent).toEqual([
      '【群众请求人工帮助】「张德福 （通知） 138****1111」（地址未填）在“自主申报”中请求人工帮助，请在企业微信“微信客服”中接待，或由村干部联系。',
    ]);
  });
});
