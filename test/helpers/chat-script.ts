import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sequentialCaseNumbers } from '../../src/cases/case-number.js';
import { KfSessions } from '../../src/channel/kf-session.js';
import type { Address, CardClick, ChatHandler, ChatInput, Outbound } from '../../src/channel/messages.js';
import type { Outbox, OutboxItem } from '../../src/outbox/outbox-item.js';
import { buildConversation } from '../../src/conversation/build.js';
import type { ChecksRoom } from '../../src/checks/checks-room.js';
import { fileURLToPath } from 'node:url';
import { createTexts } from '../../src/i18n/i18n.js';
import { DEMO_ORG_FILE, loadOrgFile } from '../../src/org/org-file.js';
import { loadProfiles, type PolicyProfile } from '../../src/policy/index.js';
import { createVault, parseDataKey } from '../../src/privacy/vault.js';
import { ManualClock } from '../../src/shared/clock.js';
import { EmbeddedDocumentStore } from '../../src/stores/document-store.embedded.js';
import type { DocumentStore } from '../../src/stores/document-store.js';
import { MemoryStateStore } from '../../src/stores/state-store.memory.js';
import { RedisStateStore } from '../../src/stores/state-store.redis.js';
import type { StateStore } from '../../src/stores/state-store.js';
import type { ButtonCard, CardUpdate } from '../../src/wecom/api.js';
import { CaseRepository } from '../../src/cases/case-repository.js';
import { StaffTexts } from '../../src/conversation/staff-texts.js';
import type { OutboxRecord } from '../../src/outbox/outbox-store.js';
import { loadWorkCalendar } from '../../src/policy/index.js';
import { CaseDeadlines } from '../../src/reminders/case-deadlines.js';
import { DigestView } from '../../src/reminders/digest-view.js';
import { ReminderAcks } from '../../src/reminders/reminder-acks.js';
import { ReminderCards } from '../../src/reminders/reminder-cards.js';
import { ReminderService } from '../../src/reminders/reminder-service.js';
import { DEFAULT_REMINDER_SETTINGS } from '../../src/reminders/reminder-settings.js';
import { captureLogs, TEST_DATA_KEY, TEST_NOW } from './test-app.js';

/**
 * Golden chat scripts (test/fixtures/conversations/*.chat). Lines the test plays:
 *   `> text` a household types · `> [label]` taps a menu item · `~ 45m` / `~ 2h` / `~ 3d` time passes ·
 *   `! register <file>` a register under test/fixtures/registers is imported by the county clerk ·
 *   `! checks start` / `! checks report` / `! checks close` the scheduler calls monthlyCheckStart / monthlyCheckReport / closeDueCampaigns ·
 *   `! campaign <form> <area> <to> <name>` the county opens a campaign running from today to <to> (every household) ·
 *   `! restart` the service restarts on the same stores · `! state lost` the state store loses every key (Redis restarted empty) · `! declared` the standard declaration, played silently · `! reminders` the daily reminder tick · `as wmOther` another household · `as staff wangcadre` a staff member ·
 *   `! replay case-to-monitoring.chat until ~ 6d` another script's inputs played quietly up to that line of it (a case brought to a stage) ·
 *   `! income line 2026 7000` every profile gets that year's income line (the shipped ones have none for 2026) ·
 *   `#` comments and blank lines are kept.
 * Lines the bot produced (regenerated and compared): `< text` (`| ` continues it), `* a | b` its menu,
 * `@userId < text` a notice to a staff member. Cards read `[card] 标题 · 案件 … · [按钮] [按钮]`; a staff member taps one with
 * `> tap 标题 按钮` (the newest card of that title they got).
 */
export const KF_ACCOUNT = 'wkDemoKfAccount';
export const CONVERSATION_TIMING = { resumeAfterMs: 30 * 60_000, expireAfterMs: 72 * 3_600_000 };

export interface ChatWorld {
  /** Where the embedded document store keeps its files (what a database dump would hold). */
  dataDir: string;
  state: StateStore;
  docs: DocumentStore;
  clock: ManualClock;
  logs: string[];
  notices: { to: Address; messages: Outbound[] }[];
  /** Cards greyed out after a click (update_template_card bodies). */
  cardUpdates: CardUpdate[];
  /** Every item recorded in the outbox, by id (recording an id twice keeps the first, as the real outbox does). */
  outboxItems: Map<string, OutboxItem>;
  handler: ChatHandler;
  /** The checks room of the running service. */
  checks: ChecksRoom;
  /** The deadline reminders over the same stores (`! reminders` runs their daily tick at the script's time). */
  reminders: ReminderService;
  /** A text from someone, with a fresh inbound id; returns the replies. */
  say(from: Address, text: string, menuId?: string): Promise<Outbound[]>;
  /** A card tap, with a fresh inbound id. */
  click(click: Omit<CardClick, 'id' | 'at'>): Promise<Outbound[]>;
  restart(): Promise<void>;
  /** The service again, its profiles given an income line for `year` (what a county adds to its profile file). */
  setIncomeLine(year: number, line: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * A conversation service on real stores: Redis when REDIS_URL is set (unless `inProcessState`), else in-process;
 * the embedded document store.
 */
export async function openChatWorld(options: { inProcessState?: boolean } = {}): Promise<ChatWorld> {
  const redisUrl = options.inProcessState ? undefined : process.env.REDIS_URL;
  const prefix = `test:${process.pid}:${Math.random().toString(36).slice(2)}:`;
  const newState = () => (redisUrl ? new RedisStateStore({ url: redisUrl, keyPrefix: prefix }) : new MemoryStateStore());
  const dataDir = mkdtempSync(join(tmpdir(), 'fpfp-chat-'));
  const { logger, lines } = captureLogs();
  const org = loadOrgFile(DEMO_ORG_FILE);
  const texts = createTexts();
  const vault = createVault(parseDataKey(TEST_DATA_KEY));
  const caseNumbers = sequentialCaseNumbers();
  let profiles: readonly PolicyProfile[] = loadProfiles();
  let inbound = 0;
  // Records what the service hands to the outbox, in order, each id once: what would be sent.
  const outbox: Outbox = {
    async enqueue(items) {
      for (const item of items) {
        if (world.outboxItems.has(item.id)) continue;
        world.outboxItems.set(item.id, item);
        if (item.delivery.type === 'messages') world.notices.push({ to: item.delivery.to, messages: item.delivery.messages });
        else world.cardUpdates.push(item.delivery.update);
      }
    },
  };
  const world: ChatWorld = {
    dataDir,
    state: newState(),
    docs: await EmbeddedDocumentStore.open({ dir: dataDir }),
    clock: new ManualClock(TEST_NOW),
    logs: lines,
    notices: [],
    cardUpdates: [],
    outboxItems: new Map(),
    handler: undefined as unknown as ChatHandler,
    checks: undefined as unknown as ChecksRoom,
    reminders: undefined as unknown as ReminderService,
    async say(from, text, menuId) {
      const input: ChatInput = { from, id: `in${++inbound}`, text, ...(menuId ? { menuId } : {}), at: world.clock.now() };
      // What the kf puller does for each message a household sends: its 48-hour reply window opens.
      if (from.channel === 'kf') await new KfSessions(world.state, () => world.clock.now().getTime()).customerWrote(from.openKfId, from.externalUserId, input.at);
      return (await world.handler.onText(input)).replies;
    },
    async click(click) {
      return (await world.handler.onCardClick({ ...click, id: `in${++inbound}`, at: world.clock.now() })).replies;
    },
    async restart() {
      // A new process: new store connections, new service; only what the stores kept survives.
      if (redisUrl) {
        await world.state.close();
        world.state = newState();
      }
      await build();
    },
    async setIncomeLine(year, line) {
      profiles = profiles.map((p) => ({ ...p, incomeThreshold: { ...p.incomeThreshold, perYear: { ...p.incomeThreshold.perYear, [String(year)]: line } } }));
      await build();
    },
    async close() {
      await world.state.close();
      await world.docs.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  const build = async () => {
    const acks = new ReminderAcks(world.docs);
    world.reminders = new ReminderService({
      sources: [new CaseDeadlines({ repo: new CaseRepository(world.docs, vault), org, profiles, householdTold: async () => true, logger })],
      outbox,
      acks,
      view: new DigestView({ texts, staff: new StaffTexts(texts), org }),
      org,
      calendar: loadWorkCalendar(),
      settings: DEFAULT_REMINDER_SETTINGS,
      state: world.state,
      clock: world.clock,
      logger,
    });
    // A reminder card's items, from the digest recorded for that person and day (here: the recorded items).
    const outboxStore = { get: async (id: string) => (world.outboxItems.has(id) ? ({ _id: id, items: world.outboxItems.get(id)!.items } as OutboxRecord) : null) };
    const built = await buildConversation({
      state: world.state,
      docs: world.docs,
      vault,
      org,
      texts,
      clock: world.clock,
      logger,
      outbox,
      conversation: CONVERSATION_TIMING,
      caseNumbers,
      profiles,
      reminders: new ReminderCards({ outboxStore, acks, reminders: world.reminders }),
    });
    world.handler = built.service;
    world.checks = built.checks;
  };
  await build();
  return world;
}

/** What `! declared` types: the household of case-to-monitoring.chat, in as few words. */
const STANDARD_DECLARATION = ['申报', '张德福', '430621195805121238', '13812345678', '1', '1', '1', '3', '1', '都没有', '老伴去年查出尿毒症，每周透析三次', '说完了', '是', '是', '1'];

const UNITS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000 };

function outboundLines(prefix: string, m: Outbound): string[] {
  if (m.type === 'card') return [`${prefix}[card] ${[m.card.main_title?.title ?? '', m.card.main_title?.desc ?? '', m.card.button_list.map((b) => `[${b.text}]`).join(' ')].filter(Boolean).join(' · ')}`];
  const [first = '', ...rest] = m.text.split('\n');
  const lines = [`${prefix}${first}`, ...rest.map((l) => `| ${l}`)];
  if (m.type === 'choices') lines.push(`* ${m.choices.map((c) => c.label).join(' | ')}`);
  return lines;
}

/** `beforeInput`: called before each line a person types or taps, with who is about to say it (a test may say other things first). */
export interface PlayHooks {
  beforeInput?: (from: Address) => Promise<void>;
}

/** Plays the input lines of a script and returns the whole transcript, inputs and outputs, as the file should read. */
export async function playScript(world: ChatWorld, script: string, household = 'wmHousehold01', hooks: PlayHooks = {}): Promise<string> {
  const out: string[] = [];
  let from: Address = { channel: 'kf', openKfId: KF_ACCOUNT, externalUserId: household };
  let lastChoices: { id: string; label: string }[] = [];
  const cards = new Map<string, ButtonCard[]>();
  const keep = (userId: string, m: Outbound) => {
    if (m.type === 'card') cards.set(userId, [m.card, ...(cards.get(userId) ?? [])]);
  };
  const printNotices = () => {
    for (const n of world.notices) for (const m of n.messages) {
      out.push(...outboundLines(`@${n.to.channel === 'app' ? n.to.userId : n.to.externalUserId} < `, m));
      if (n.to.channel === 'app') keep(n.to.userId, m);
    }
  };
  let codes = 0;
  /** One line of a script; `quiet` (a replayed script) keeps nothing of it in the transcript but the cards people got. */
  const play = async (line: string, quiet: boolean): Promise<void> => {
    if (/^(<|\| |\||\* |@)/.test(line)) return;
    const record = (...lines: string[]) => {
      if (!quiet) out.push(...lines);
    };
    record(line);
    const answered = (replies: Outbound[]) => {
      for (const r of replies) {
        record(...outboundLines('< ', r));
        if (from.channel === 'app') keep(from.userId, r);
        if (r.type === 'choices') lastChoices = r.choices;
      }
      for (const n of world.notices) for (const m of n.messages) {
        record(...outboundLines(`@${n.to.channel === 'app' ? n.to.userId : n.to.externalUserId} < `, m));
        if (n.to.channel === 'app') keep(n.to.userId, m);
      }
      world.clock.advance(60_000);
    };
    const tapCard = /^> tap (\S+) (\S+)$/.exec(line);
    const replay = /^! replay (\S+\.chat)(?: until (.+))?$/.exec(line);
    const incomeLine = /^! income line (\d{4}) (\d+)$/.exec(line);
    if ((tapCard || line.startsWith('> ')) && hooks.beforeInput) await hooks.beforeInput(from);
    if (tapCard && from.channel === 'app') {
      const card = cards.get(from.userId)?.find((c) => c.main_title.title === tapCard[1]);
      const button = card?.button_list.find((b) => b.text === tapCard[2]);
      if (!card || !button) throw new Error(`${from.userId} has no card "${tapCard[1]}" with a button "${tapCard[2]}"; the transcript so far:\n${out.join('\n')}`);
      world.notices.length = 0;
      answered(await world.click({ from, taskId: card.task_id, eventKey: button.key, responseCode: `rc${++codes}` }));
    } else if (line.startsWith('> ')) {
      const typed = line.slice(2);
      const tap = /^\[(.+)\]$/.exec(typed);
      const choice = tap ? lastChoices.find((c) => c.label === tap[1]) : undefined;
      if (tap && !choice) throw new Error(`no menu item "${tap[1]}" in the last menu`);
      world.notices.length = 0;
      answered(await world.say(from, choice ? choice.label : typed, choice?.id));
    } else if (line.startsWith('~ ')) {
      const m = /^~ (\d+)([mhd])$/.exec(line);
      if (!m) throw new Error(`bad time line "${line}"`);
      world.clock.advance(Number(m[1]) * UNITS[m[2]!]!);
    } else if (line === '! declared') {
      // The standard declaration (张德福, 青山镇桃源村一组, illness) by the current household, played but not
      // printed: for scripts about what staff do next. The cards it sends are kept for `> tap`.
      world.notices.length = 0;
      for (const text of STANDARD_DECLARATION) {
        await world.say(from, text);
        world.clock.advance(60_000);
      }
      for (const n of world.notices) for (const m of n.messages) if (n.to.channel === 'app') keep(n.to.userId, m);
    } else if (line.startsWith('! register ') || line.startsWith('! checks ') || line.startsWith('! campaign ')) {
      world.notices.length = 0;
      await scheduled(world, line);
      printNotices();
    } else if (line === '! reminders') {
      // The daily reminder tick at the script's time: each digest shows as a notice to its person.
      world.notices.length = 0;
      await world.reminders.tick();
      printNotices();
    } else if (line === '! restart') {
      await world.restart();
    } else if (line === '! state lost') {
      for (const key of await world.state.keys('')) await world.state.delete(key);
    } else if (replay) {
      // Another script's inputs, played quietly up to a line of it: a case brought to where this script starts.
      const lines = readFileSync(new URL(`../fixtures/conversations/${replay[1]}`, import.meta.url), 'utf8').replace(/\n+$/, '').split('\n');
      const end = replay[2] === undefined ? lines.length : lines.indexOf(replay[2]);
      if (end < 0) throw new Error(`${replay[1]} has no line "${replay[2]}"`);
      for (const l of lines.slice(0, end)) await play(l, true);
    } else if (incomeLine) {
      await world.setIncomeLine(Number(incomeLine[1]), Number(incomeLine[2]));
    } else if (line.startsWith('as ')) {
      const staff = /^as staff (\S+)$/.exec(line);
      from = staff ? { channel: 'app', userId: staff[1]! } : { channel: 'kf', openKfId: KF_ACCOUNT, externalUserId: line.slice(3).trim() };
    } else if (line !== '' && !line.startsWith('#')) {
      throw new Error(`unknown script line "${line}"`);
    }
  };
  for (const line of script.replace(/\n+$/, '').split('\n')) await play(line, false);
  return `${out.join('\n')}\n`;
}

const REGISTERS = fileURLToPath(new URL('../fixtures/registers/', import.meta.url));

/** The lines a script plays outside the chat: an import, what the scheduler calls, a campaign opened. */
async function scheduled(world: ChatWorld, line: string): Promise<void> {
  const now = world.clock.now();
  const county = '430621';
  const register = /^! register (\S+)$/.exec(line);
  const campaign = /^! campaign (\S+) (\S+) (\d{4}-\d{2}-\d{2}) (.+)$/.exec(line);
  if (register) {
    const result = await world.checks.registerImport.importCsv(readFileSync(`${REGISTERS}${register[1]}`, 'utf8'), [county], 'admin-token', now);
    if (!result.ok) throw new Error(`register ${register[1]} not imported: ${JSON.stringify(result.problems)}`);
  } else if (line === '! checks start') await world.checks.monthlyCheckStart(now);
  else if (line === '! checks report') await world.checks.monthlyCheckReport(now);
  else if (line === '! checks close') await world.checks.closeDueCampaigns(now);
  else if (campaign) {
    const today = new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
    const [y, m, d] = today.split('-').map(Number);
    await world.checks.campaigns.open(
      { name: campaign[4]!, period: { from: today, to: campaign[3]! }, scope: { area: campaign[2]!, households: 'all' }, form: campaign[1] as 'central-check', statistics: { timePoint: `${y}年${m}月${d}日24时`, period: `${y! - 1}年${m}月${d! + 1}日至${y}年${m}月${d}日` } },
      'admin-token',
      now,
    );
  } else throw new Error(`unknown script line "${line}"`);
}
