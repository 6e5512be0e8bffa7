import { expect } from 'vitest';
import type { CaseRecord } from '../../src/cases/case-record.js';
import type { Org } from '../../src/org/org.js';
import type { CaseSnapshot } from '../../src/procedure/case-snapshot.js';
import { findProfile, loadProfiles, type PolicyProfile } from '../../src/policy/index.js';
import { ManualClock } from '../../src/shared/clock.js';
import { FakeWeComState } from '../../src/simulator/fake-wecom-state.js';
import { casesOn, type Cases } from './case-world.js';
import { householdSays, staffClicks as click, staffSays as say, type StaffReply } from './staff-chat.js';
import { startTestService, TEST_NOW, type TestService } from './test-app.js';
import { VECTOR_CRYPTO } from './vectors.js';

/**
 * A case carried through by chat over the service's real HTTP callback, every step by the person who takes it:
 * what the helpers here do is what those people type and tap. The store is read only to know which step is next.
 */
export const ID_NUMBER = '430621195805121238';
export const PHONE = '13812345678';
export const HOUSEHOLD = 'wmHousehold01';
export const CASE_NUMBER = '20261122-0001';
/** The declaration as the household types it (青山镇桃源村一组, household of 3, illness, nothing of the basic guarantees). */
const DECLARATION = ['申报', '张德福', ID_NUMBER, PHONE, '1', '1', '1', '3', '1', '6', '老伴尿毒症每周透析，每月自付两千多元。', '说完了', '是', '是', '1'];

/** People take a moment per message (the service limits how many one person may send a minute). */
const TYPING_MS = 20_000;

/**
 * A moment passes after each message. WeCom takes 25 app messages a minute per member, and the outbox counts them
 * in real time (outbox-worker.ts): a case carried through in seconds would hit it, where people take days. So its
 * per-minute counters start afresh, as they would between the steps of a real case.
 */
async function moment(svc: TestService): Promise<void> {
  svc.clock.advance(TYPING_MS);
  for (const key of await svc.state.keys('outbox:rate:')) await svc.state.delete(key);
}

/** A staff member's text, and a moment passes. */
export async function staffSays(svc: TestService, userId: string, text: string): Promise<StaffReply> {
  const reply = await say(svc, userId, text);
  await moment(svc);
  return reply;
}

/** A staff member's tap on a card, and a moment passes. */
export async function staffClicks(svc: TestService, userId: string, card: Parameters<typeof click>[2], key: string): ReturnType<typeof click> {
  const reply = await click(svc, userId, card, key);
  await moment(svc);
  return reply;
}

/** A time in China on a date. */
export const at = (date: string, time = '10:00') => new Date(`${date}T${time}:00+08:00`);

/** The shipped profiles with an income line for `year` added, as a county adds it to its profile file. */
export function withIncomeLine(year: number, line: number): PolicyProfile[] {
  return loadProfiles().map((p) => ({ ...p, incomeThreshold: { ...p.incomeThreshold, perYear: { ...p.incomeThreshold.perYear, [String(year)]: line } } }));
}

/** The service on a clock of its own (the fake WeCom on it too), and the case services over its store. */
export async function startCaseChat(options: { org?: Org; profiles?: PolicyProfile[] } = {}): Promise<{ svc: TestService; cases: Cases }> {
  const clock = new ManualClock(TEST_NOW);
  const fake = new FakeWeComState({ corpId: VECTOR_CRYPTO.corpId, secret: 'test-app-secret' });
  fake.now = () => clock.now().getTime();
  const svc = await startTestService({ clock, fake, ...(options.org ? { org: options.org } : {}), ...(options.profiles ? { profiles: options.profiles } : {}) });
  return { svc, cases: await casesOn(svc.docs, options.org, options.profiles ? { decideUnder: options.profiles } : {}) };
}

export async function declare(svc: TestService): Promise<string[]> {
  let last: string[] = [];
  for (const text of DECLARATION) {
    last = await householdSays(svc, HOUSEHOLD, text);
    await moment(svc);
  }
  return last;
}

export async function caseOf(cases: Cases, caseNumber = CASE_NUMBER): Promise<CaseRecord> {
  return (await cases.repo.byNumber(caseNumber))!;
}

type Card = StaffReply['cards'][number];

/** 我的待办, then the one card with this title. */
export async function cardFrom(svc: TestService, userId: string, title: string): Promise<Card> {
  const reply = await staffSays(svc, userId, '我的待办');
  const card = reply.cards.find((c) => c.main_title.title === title);
  if (!card) expect.fail(`${userId} got no "${title}" card: ${JSON.stringify(reply)}`);
  return card;
}

/**
 * The newest card of this title the staff member was sent (each step sends the next step's cards), as they would
 * tap it; 我的待办 when none came (a notice's last day sends nothing by itself). Fewer messages than asking each
 * time: WeCom takes 25 app messages a minute per member, and a long case by chat would hit it.
 */
export async function sentCard(svc: TestService, userId: string, title: string): Promise<Card> {
  const sent = svc.fake.appMessages.filter((m) => m.touser === userId && m.msgtype === 'template_card' && (m.template_card as Card).main_title.title === title).at(-1);
  return sent ? { ...(sent.template_card as Card), response_code: sent.response_code! } : cardFrom(svc, userId, title);
}

/** A staff member taps 开始填写 on a form step's card and answers its questions; returns the last answers. */
export async function fill(svc: TestService, userId: string, title: string, answers: string[]): Promise<StaffReply> {
  let reply: StaffReply = await staffClicks(svc, userId, await sentCard(svc, userId, title), 'fill');
  for (const text of answers) reply = await staffSays(svc, userId, text);
  return reply;
}

/** Types each answer in turn; returns what the last one got. */
export async function answer(svc: TestService, userId: string, answers: string[]): Promise<StaffReply> {
  let reply: StaffReply = { texts: [], cards: [] };
  for (const text of answers) reply = await staffSays(svc, userId, text);
  return reply;
}

/** Taps 同意 (or the card's own first button) on the newest card of this title. */
export async function agree(svc: TestService, userId: string, title: string): Promise<StaffReply> {
  return staffClicks(svc, userId, await sentCard(svc, userId, title), 'agree');
}

/** Where the township decides (Henan), its card says 乡镇确定; elsewhere it reviews (乡镇审核). */
function townshipCardTitle(c: CaseSnapshot): string {
  return findProfile(loadProfiles(), c.profileKey)?.approval === 'townshipDecidesCountyFiles' ? '乡镇确定' : '乡镇审核';
}

/**
 * Takes the case's identification steps by chat, as the people of the demo org would, until it is monitored:
 * the township accepts, the cadres visit (form), the county cross-checks, the secretary confirms the appraisal,
 * the notice closes on its last day, the township (and the county) approve, the township registers, a contact plans.
 * `stopAt` stops it earlier, where the test takes over; `cadre` is the one who visits and closes the notice. WeCom
 * takes 25 app messages a minute per member, counted in real time, so a long test shares the work out.
 */
export async function chatToMonitoring(
  svc: TestService,
  cases: Cases,
  options: { stopAt?: (c: CaseSnapshot) => boolean; cadre?: 'wangcadre' | 'zhoucadre' } = {},
  caseNumber = CASE_NUMBER,
): Promise<CaseRecord> {
  const { stopAt = () => false, cadre = 'wangcadre' } = options;
  const colleague = cadre === 'wangcadre' ? '周志强' : '王建国';
  for (let steps = 0; steps < 20; steps++) {
    const c = (await caseOf(cases, caseNumber)).procedure;
    if (stopAt(c)) return caseOf(cases, caseNumber);
    switch (c.stage) {
      case 'lead':
        await agree(svc, 'chentownship', '受理线索');
        break;
      case 'homeVerification':
        await fill(svc, cadre, '入户核实', ['今天', colleague, '不变', '不变', '3', '两千五', '有劳动能力', '都不是', '老伴透析，儿子打零工', '1', '1']);
        break;
      case 'dataCrossCheck':
        await agree(svc, 'liucounty', '信息比对结果');
        break;
      case 'villageAppraisal':
        await agree(svc, 'lisecretary', '民主评议结果确认');
        break;
      case 'publicNotice':
        if (c.crossCheck.status === 'pending') {
          await agree(svc, 'liucounty', '信息比对结果');
          break;
        }
        svc.clock.set(at(c.notice!.endsOn, '09:00'));
        await staffClicks(svc, cadre, await cardFrom(svc, cadre, '结束公示'), 'agree');
        break;
      case 'townshipReview':
        await agree(svc, 'chentownship', townshipCardTitle(c));
        break;
      case 'countyApproval':
        await agree(svc, 'liucounty', '县级审定');
        break;
      case 'identified':
        await fill(svc, 'chentownship', '录入建档', ['不变', '1']);
        break;
      case 'registered':
        // The profile's first category (产业帮扶 in every shipped list).
        await fill(svc, 'zhoucadre', '帮扶措施', ['1', '发展养殖，提供技术指导', '镇农业综合服务中心', '否', '1']);
        break;
      case 'monitoring':
        return caseOf(cases, caseNumber);
      default:
        expect.fail(`case ${caseNumber} is at ${c.stage}, not on the way to monitoring`);
    }
    const after = (await caseOf(cases, caseNumber)).procedure;
    if (after.version === c.version) expect.fail(`case ${caseNumber} did not move from ${c.stage}`);
  }
  return expect.fail(`case ${caseNumber} did not reach monitoring`);
}
