import { afterEach, describe, expect, it } from 'vitest';
import { checkCaseAudit } from '../../src/cases/audit-check.js';
import type { CaseRecord } from '../../src/cases/case-record.js';
import { DEMO_ORG_FILE, loadOrgFile } from '../../src/org/org-file.js';
import { Org } from '../../src/org/org.js';
import { ManualClock } from '../../src/shared/clock.js';
import { FakeWeComState } from '../../src/simulator/fake-wecom-state.js';
import type { Doc } from '../../src/stores/document-store.js';
import { casesOn, vault, type Cases } from '../helpers/case-world.js';
import { postCallback } from '../helpers/callbacks.js';
import { clickCallback, householdSays, staffClicks, staffSays, type StaffReply } from '../helpers/staff-chat.js';
import { startTestService, TEST_NOW, type TestService } from '../helpers/test-app.js';
import { VECTOR_CRYPTO } from '../helpers/vectors.js';
import { visit } from '../procedure/harness.js';

const ID = '430621195805121238';
const PHONE = '13812345678';
/** The declaration by chat, as the household types it (青山镇桃源村一组, household of 3, illness, nothing of the basic guarantees). */
const DECLARATION = ['申报', '张德福', ID, PHONE, '1', '1', '1', '3', '1', '6', '老伴尿毒症每周透析，每月自付两千多元。', '说完了', '是', '是', '1'];
const HOUSEHOLD = 'wmHousehold01';
const CASE_NUMBER = '20261122-0001';

/** 10:00 in China on a date. */
const at = (date: string, time = '10:00') => new Date(`${date}T${time}:00+08:00`);

const running: TestService[] = [];
afterEach(async () => {
  for (const svc of running.splice(0)) await svc.close();
});

async function start(org?: Org): Promise<{ svc: TestService; cases: Cases }> {
  const clock = new ManualClock(TEST_NOW);
  const fake = new FakeWeComState({ corpId: VECTOR_CRYPTO.corpId, secret: 'test-app-secret' });
  fake.now = () => clock.now().getTime();
  const svc = await startTestService({ clock, fake, ...(org ? { org } : {}) });
  running.push(svc);
  return { svc, cases: await casesOn(svc.docs, org) };
}

async function declare(svc: TestService, household = HOUSEHOLD): Promise<string[]> {
  let last: string[] = [];
  for (const text of DECLARATION) last = await householdSays(svc, household, text);
  return last;
}

async function caseOf(cases: Cases, caseNumber = CASE_NUMBER): Promise<CaseRecord> {
  return (await cases.repo.byNumber(caseNumber))!;
}

/** The home visit has no chat form yet: the cadre's findings go in through the case service. */
async function homeVisit(cases: Cases, when: Date): Promise<void> {
  const c = await caseOf(cases);
  const d = await cases.cases.decide({ caseId: c._id, action: { ...visit, caseVersion: c.procedure.version }, userId: 'wangcadre', now: when });
  if (!d.ok) expect.fail(`home visit refused: ${d.reason}`);
}

/** 我的待办, then the one card with this title. */
async function cardFrom(svc: TestService, userId: string, title: string): Promise<StaffReply['cards'][number]> {
  const reply = await staffSays(svc, userId, '我的待办');
  const card = reply.cards.find((c) => c.main_title.title === title);
  if (!card) expect.fail(`${userId} got no "${title}" card: ${JSON.stringify(reply)}`);
  return card;
}

/** A staff member taps 开始填写 on a form step's card and answers its questions; returns the last answers. */
async function fill(svc: TestService, userId: string, title: string, answers: string[]): Promise<StaffReply> {
  let reply: StaffReply = await staffClicks(svc, userId, await cardFrom(svc, userId, title), 'fill');
  for (const text of answers) reply = await staffSays(svc, userId, text);
  return reply;
}

describe('a Hunan case from self-declaration to monitoring, every step by chat', () => {
  it('runs declaration → acceptance → visit → appraisal → 5-day notice → township → county → registration → assistance plan → entry, with no stale card left', async () => {
    const { svc, cases } = await start();
    const filed = await declare(svc);
    expect(filed.join('\n')).toContain(`案件编号：${CASE_NUMBER}`);

    // A cadre told to contact the household taps 查看电话 on the card that came with the notice: the number, to them alone.
    const phoneCard = svc.fake.appMessages.find((m) => m.touser === 'wangcadre' && m.msgtype === 'template_card' && (m.template_card as { task_id: string }).task_id.startsWith('fpphone_'));
    const shown = await staffClicks(svc, 'wangcadre', phoneCard!.template_card as { task_id: string }, 'phone');
    expect(shown.texts.join('\n')).toContain(`户主「张德福」的电话：${PHONE}`);
    expect(svc.fake.appMessages.filter((m) => JSON.stringify(m).includes(PHONE)).map((m) => m.touser)).toEqual(['wangcadre']);

    // The township accepts the lead on its card.
    const todo = await staffSays(svc, 'chentownship', '我的待办');
    expect(todo.texts[0]).toBe(
      [
        '陈镇长，您有 1 项待办（按截止日期排列）：',
        `1. ${CASE_NUMBER} 张德福（桃源村）：受理线索，截止2026年12月7日（识别时限15天）`,
        '其中 1 项可以直接在下面的卡片上办理。',
        '回复序号（如“1”）办理其中一项。',
      ].join('\n'),
    );
    const [acceptCard] = todo.cards;
    expect(acceptCard).toMatchObject({
      card_type: 'button_interaction',
      main_title: { title: '受理线索', desc: `案件 ${CASE_NUMBER}` },
      horizontal_content_list: [
        { keyname: '户主', value: '张*福' },
        { keyname: '地址', value: '青山镇桃源村一组' },
        { keyname: '截止', value: '2026年12月7日（识别时限15天）' },
      ],
      button_list: [
        { text: '受理', style: 1, key: 'agree' },
        { text: '不予受理', style: 2, key: 'disagree' },
      ],
    });
    expect(acceptCard!.task_id).toMatch(/^fp_[0-9a-f-]{36}_1_acceptLead_[0-9a-z]+$/);
    const accepted = await staffClicks(svc, 'chentownship', acceptCard!, 'agree');
    expect(accepted.texts).toEqual([`已记录：${CASE_NUMBER}（张德福）受理。现在：待入户核实。`]);
    expect(svc.fake.cardUpdates.at(-1)).toEqual({
      agentid: 1000002,
      response_code: accepted.responseCode,
      userids: ['chentownship'],
      button: { replace_name: '已受理 · 陈镇长 11月22日 16:00' },
    });

    // The cadre visits with a colleague and fills in the 入户核实 form by chat.
    svc.clock.set(at('2026-11-23'));
    const visited = await fill(svc, 'wangcadre', '入户核实', ['今天', '周志强', '不变', '不变', '3', '两千五', '有劳动能力', '都不是', '老伴透析，儿子打零工', '1']);
    expect(visited.texts.join('\n')).toContain('年人均纯收入（元）：2500');
    const submittedVisit = await staffSays(svc, 'wangcadre', '1');
    expect(submittedVisit.texts).toEqual([`已记录：${CASE_NUMBER}（张德福）入户核实。现在：待民主评议。`]);

    // The village secretary confirms the appraisal: the 5-day notice starts.
    svc.clock.set(at('2026-11-24'));
    const appraised = await staffClicks(svc, 'lisecretary', await cardFrom(svc, 'lisecretary', '民主评议结果确认'), 'agree');
    expect(appraised.texts).toEqual([`已记录：${CASE_NUMBER}（张德福）同意。现在：公示中。\n公示至2026年11月29日，期满当天起可结束公示。公示期间群众提出异议的，回复“异议”加案件编号登记。`]);
    expect(svc.fake.cardUpdates.at(-1)).toMatchObject({ button: { replace_name: '已同意 · 李书记 11月24日 10:00' } });

    // The county's data cross-check runs during the notice (Hunan).
    const checked = await staffClicks(svc, 'liucounty', await cardFrom(svc, 'liucounty', '信息比对结果'), 'agree');
    expect(checked.texts[0]).toContain('无异常。现在：公示中。');
    expect(svc.fake.cardUpdates.at(-1)).toMatchObject({ button: { replace_name: '比对无异常 · 刘局长 11月24日 10:00' } });

    // Before its 5th day the notice is listed with the day it can close, without a card.
    svc.clock.set(at('2026-11-26'));
    const early = await staffSays(svc, 'wangcadre', '待办');
    expect(early.cards).toEqual([]);
    expect(early.texts).toEqual([
      `王建国，您有 1 项待办（按截止日期排列）：\n1. ${CASE_NUMBER} 张德福（桃源村）：结束公示，截止2026年12月7日（识别时限15天），2026年11月29日起可办\n回复序号（如“1”）办理其中一项。`,
    ]);
    // Asking for the item before its day says when it can be done, not a card that would refuse.
    expect((await staffSays(svc, 'wangcadre', '1')).texts).toEqual(['公示至2026年11月29日，期满当天起可结束公示。公示期间群众提出异议的，回复“异议”加案件编号登记。']);

    svc.clock.set(at('2026-11-29', '09:00'));
    const closed = await staffClicks(svc, 'wangcadre', await cardFrom(svc, 'wangcadre', '结束公示'), 'agree');
    expect(closed.texts[0]).toContain('结束公示。现在：待乡镇审核。');
    const reviewed = await staffClicks(svc, 'chentownship', await cardFrom(svc, 'chentownship', '乡镇审核'), 'agree');
    expect(reviewed.texts[0]).toContain('同意。现在：待县级审定。');
    const approved = await staffClicks(svc, 'liucounty', await cardFrom(svc, 'liucounty', '县级审定'), 'agree');
    expect(approved.texts[0]).toContain('同意。现在：已认定，待录入建档。');

    // Registration: the township picks the monitoring contacts from the village's cadres (the visit's cadres proposed).
    const registering = await fill(svc, 'chentownship', '录入建档', ['不变']);
    expect(registering.texts.join('\n')).toContain('监测联系人：王建国、周志强');
    expect((await staffSays(svc, 'chentownship', '1')).texts[0]).toContain('现在：已建档，待制定帮扶措施。');
    expect((await householdSays(svc, HOUSEHOLD, '进度')).join('\n')).toBe(
      `您的申报办理情况：\n案件编号 ${CASE_NUMBER}（2026年11月22日申报）：已纳入监测帮扶，村里正在和您家一起商量帮扶措施。`,
    );

    // A monitoring contact plans two measures; the township records their entry in the national system.
    svc.clock.set(at('2026-12-01'));
    const planning = await fill(svc, 'zhoucadre', '帮扶措施', ['健康', '大病医疗救助，报销后自付部分再救助', '县医保局', '是', '公益岗位', '护林员，每月800元', '镇林业站', '否']);
    expect(planning.texts.join('\n')).toContain('（1）健康帮扶：大病医疗救助，报销后自付部分再救助（县医保局）\n（2）公益岗位帮扶：护林员，每月800元（镇林业站）');
    expect((await staffSays(svc, 'zhoucadre', '1')).texts[0]).toContain('现在：监测帮扶中。');
    await fill(svc, 'chentownship', '帮扶措施录入', ['今天']);
    expect((await staffSays(svc, 'chentownship', '1')).texts[0]).toContain('帮扶措施录入国家系统。现在：监测帮扶中。');

    const c = await caseOf(cases);
    expect(c.procedure).toMatchObject({
      stage: 'monitoring',
      version: 11,
      identifiedOn: '2026-11-29',
      monitoringContacts: ['wangcadre', 'zhoucadre'],
      crossCheck: { status: 'clear' },
      netIncomePerCapita: { '2026': 2500 },
      assistancePlan: { plannedOn: '2026-12-01', enteredOn: '2026-12-01', measures: [{ category: 'health', unit: '县医保局' }, { category: 'publicWelfareJob', unit: '镇林业站' }] },
    });

    // No stale buttons: every card sent for an earlier step was greyed out for everyone who got it (the 查看电话
    // card is no step: it stays, for the cadres to call the household while the case runs).
    const cardsSent = svc.fake.appMessages.filter((m) => m.msgtype === 'template_card');
    const updated = new Set(svc.fake.cardUpdates.map((u) => u.response_code));
    const isStep = (m: (typeof cardsSent)[number]) => !(m.template_card as { task_id: string }).task_id.startsWith('fpphone_');
    expect(cardsSent.filter((m) => isStep(m) && !updated.has(m.response_code!))).toEqual([]);
    expect(cardsSent.filter((m) => !isStep(m)).map((m) => m.touser)).toEqual(['wangcadre', 'zhoucadre']);
    // Cards carry no ID or phone number, not even masked.
    for (const secret of [ID, PHONE, '4306**', '138****']) expect(JSON.stringify(cardsSent)).not.toContain(secret);

    // The audit trail: opening plus ten steps, chained, ending where the case says.
    expect(await checkCaseAudit(svc.docs, vault, CASE_NUMBER)).toEqual({ status: 'ok', caseNumber: CASE_NUMBER, records: 11, caseVersion: 11 });
    const trail = await cases.audit.read(c._id);
    expect(trail.map((r) => [r.event.action, (r.event.actor as { userId: string }).userId])).toEqual([
      ['openCase', 'kf'],
      ['acceptLead', 'chentownship'],
      ['recordHomeVerification', 'wangcadre'],
      ['recordAppraisal', 'lisecretary'],
      ['recordCrossCheck', 'liucounty'],
      ['closeNotice', 'wangcadre'],
      ['townshipApprove', 'chentownship'],
      ['countyApprove', 'liucounty'],
      ['register', 'chentownship'],
      ['recordAssistancePlan', 'zhoucadre'],
      ['recordMeasureEntry', 'chentownship'],
    ]);

    // Someone rewrites the stored appraisal to look like a refusal: the check finds it.
    const events = svc.docs.collection<Doc & { event: Record<string, unknown> }>('audit_events');
    const appraisal = (await events.get(`${c._id}:4`))!;
    await events.put({ ...appraisal, event: { ...appraisal.event, to: 'rejected' } });
    expect(await checkCaseAudit(svc.docs, vault, CASE_NUMBER)).toEqual({ status: 'broken', caseNumber: CASE_NUMBER, records: 11, brokenAt: 4, reason: 'altered' });
  });
});

describe('decisions by card, when people disagree or act at once', () => {
  it('two township reviewers tapping the same decision: one applies, the other is told the case has moved on', async () => {
    const base = loadOrgFile(DEMO_ORG_FILE);
    const org = new Org({ ...base.file, staff: [...base.file.staff, { userId: 'wutownship', name: '吴副镇长', roles: ['townshipReviewer'], areas: ['430621101'] }] });
    const { svc, cases } = await start(org);
    await declare(svc);
    const chen = await cardFrom(svc, 'chentownship', '受理线索');
    const wu = await cardFrom(svc, 'wutownship', '受理线索');

    const a = clickCallback(svc, 'chentownship', chen, 'agree');
    const b = clickCallback(svc, 'wutownship', wu, 'agree');
    await Promise.all([postCallback(svc.baseUrl, a.callback), postCallback(svc.baseUrl, b.callback)]);
    await svc.built.settled();

    const said = (userId: string) => svc.fake.appMessages.filter((m) => m.touser === userId && m.msgtype === 'text').map((m) => (m.text as { content: string }).content).at(-1)!;
    const answers = [said('chentownship'), said('wutownship')];
    expect(answers.filter((t) => t.startsWith(`已记录：${CASE_NUMBER}`))).toHaveLength(1);
    expect(answers.filter((t) => t.startsWith(`案件 ${CASE_NUMBER} 已有新进展`))).toHaveLength(1);
    // The clicks' own cards, then every acceptance card sent (to both, and to the village secretary) greyed out with who decided.
    const replaced = svc.fake.cardUpdates.map((u) => (u.button as { replace_name: string }).replace_name);
    expect(replaced).toContainEqual(expect.stringMatching(/^已受理 · (陈镇长|吴副镇长) 11月22日 16:00$/));
    expect(replaced).toContainEqual('已失效 · 案件已有新进展');
    expect(replaced.filter((r) => /^已由(陈镇长|吴副镇长)办理 · 11月22日 16:00$/.test(r)).length).toBeGreaterThanOrEqual(3);

    const c = await caseOf(cases);
    expect(c.procedure).toMatchObject({ stage: 'homeVerification', version: 2 });
    expect((await cases.audit.read(c._id)).map((r) => r.event.action)).toEqual(['openCase', 'acceptLead']);
  });

  it("不同意 asks for the reason, saying the household will read it, takes the next text as it, and the household reads it quoted as the staff member's words, with how to ask for a re-check", async () => {
    const { svc, cases } = await start();
    await declare(svc);
    await staffClicks(svc, 'chentownship', await cardFrom(svc, 'chentownship', '受理线索'), 'agree');
    await homeVisit(cases, at('2026-11-23'));
    svc.clock.set(at('2026-11-24'));

    const updatesBefore = svc.fake.cardUpdates.length;
    const tapped = await staffClicks(svc, 'lisecretary', await cardFrom(svc, 'lisecretary', '民主评议结果确认'), 'disagree');
    expect(tapped.texts).toEqual([
      `请回复“不同意”的理由（案件 ${CASE_NUMBER}，户主 张德福）。注意：这段理由会原话转给农户本人看，请直接对农户说明原因（如“您家……”），不要写其他人的情况，也不要写身份证号、手机号。理由会记入档案。回复“取消”可放弃，卡片仍可再点。`,
    ]);
    expect(svc.fake.cardUpdates).toHaveLength(updatesBefore);

    const kfBefore = svc.fake.kfSent.length;
    // Written about the household, over two lines, with a heading and a number: it must not pass as the system's words.
    const reasoned = await staffSays(svc, 'lisecretary', '经民主评议，该户家庭人均纯收入明显高于监测范围\n【通知】有疑问打138.1234.5678');
    expect(reasoned.texts).toEqual([
      `已记录：${CASE_NUMBER}（张德福）不同意。现在：不予纳入，已结案。\n结果已安排通过微信客服发给农户。`,
    ]);
    expect(svc.fake.cardUpdates.at(-1)).toMatchObject({ response_code: tapped.responseCode, userids: ['lisecretary'], button: { replace_name: '不同意 · 李书记 11月24日 10:00' } });

    const told = svc.fake.kfSent.slice(kfBefore).filter((m) => m.touser === HOUSEHOLD).map((m) => (m.text as { content: string }).content);
    expect(told).toHaveLength(1);
    expect(told[0]).toContain(`您家的申报（案件编号 ${CASE_NUMBER}）经审核，暂不符合纳入防止返贫监测的条件。`);
    expect(told[0]!.split('\n')).toEqual([
      `您家的申报（案件编号 ${CASE_NUMBER}）经审核，暂不符合纳入防止返贫监测的条件。`,
      '经办人员写明的原因（原话）：「经民主评议，该户家庭人均纯收入明显高于监测范围 （通知）有疑问打138****5678」。',
      expect.stringContaining('可以向青山镇申请复核'),
    ]);

    const c = await caseOf(cases);
    expect(c.procedure).toMatchObject({ stage: 'rejected', rejection: { on: '2026-11-24', reasons: ['经民主评议，该户家庭人均纯收入明显高于监测范围\n【通知】有疑问打138.1234.5678'] } });

    // 进度 says the case is closed, why (the reason as sent) and how to ask for a re-check.
    expect(await householdSays(svc, HOUSEHOLD, '进度')).toEqual([
      `您的申报办理情况：\n案件编号 ${CASE_NUMBER}（2026年11月22日申报）：已结案。2026年11月24日经审核，暂不符合纳入监测帮扶的条件。经办人员写明的原因（原话）：「经民主评议，该户家庭人均纯收入明显高于监测范围 （通知）有疑问打138****5678」。如有不同意见，或家里情况有变化，可以向青山镇申请复核，也可以回复“人工”请村干部帮忙。`,
    ]);
    expect(await cases.repo.openHouseholds.count({})).toBe(0);
    expect(await checkCaseAudit(svc.docs, vault, CASE_NUMBER)).toMatchObject({ status: 'ok', records: 4 });
    // What the secretary typed stays out of the logs, and lies in no store in the clear: the case, its trail,
    // the message on its way to the household, conversation state.
    expect(svc.logs.join('')).not.toContain('明显高于监测范围');
    const documents = await Promise.all(['cases', 'audit_events', 'outbox', 'conversationMarks'].map((name) => svc.docs.collection(name).find({})));
    const states = await Promise.all((await svc.state.keys('')).map((key) => svc.state.get(key)));
    const stored = JSON.stringify([documents, states]);
    expect(stored).toContain(CASE_NUMBER);
    expect(stored).not.toContain('明显高于监测范围');
  });
});
