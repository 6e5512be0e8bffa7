import { afterEach, describe, expect, it } from 'vitest';
import { checkCaseAudit } from '../../src/cases/audit-check.js';
import type { CaseRecord } from '../../src/cases/case-record.js';
import type { StoredEvent } from '../../src/privacy/case-sealer.js';
import { ManualClock } from '../../src/shared/clock.js';
import { FakeWeComState } from '../../src/simulator/fake-wecom-state.js';
import { casesOn, vault, type Cases } from '../helpers/case-world.js';
import { householdSays, staffClicks, staffSays, type StaffReply } from '../helpers/staff-chat.js';
import { startTestService, TEST_NOW, type TestService } from '../helpers/test-app.js';
import { VECTOR_CRYPTO } from '../helpers/vectors.js';

const ID = '430621196505051236';
const PHONE = '13912345678';
const CASE_NUMBER = '20261122-0001';
/** 上报线索 by 王建国 (桃源村 only: no township or village asked): 二组, found 3 days ago, 2 people, accident, unsafe housing, not signed yet. */
const CADRE_LEAD = ['上报线索', '李桂英', ID, PHONE, '2', '3天前', '2', '5', '2', '户主摔断腿后不能下地，儿子打零工收入不稳。', '说完了', '还没签', '1'];
/** 代申报 by 陈镇长 (青山镇: 桃源村 or 柳塘村): 柳塘村一组, asked yesterday, signed today. */
const PROXY = ['代申报', '李桂英', ID, PHONE, '柳塘村', '1', '昨天', '2', '5', '2', '户主腿伤，家里没有收入。', '说完了', '是', '今天', '1'];

const at = (date: string, time = '10:00') => new Date(`${date}T${time}:00+08:00`);

const running: TestService[] = [];
afterEach(async () => {
  for (const svc of running.splice(0)) await svc.close();
});

async function start(): Promise<{ svc: TestService; cases: Cases }> {
  const clock = new ManualClock(TEST_NOW);
  const fake = new FakeWeComState({ corpId: VECTOR_CRYPTO.corpId, secret: 'test-app-secret' });
  fake.now = () => clock.now().getTime();
  const svc = await startTestService({ clock, fake });
  running.push(svc);
  return { svc, cases: await casesOn(svc.docs) };
}

async function says(svc: TestService, userId: string, lines: string[]): Promise<StaffReply> {
  let last: StaffReply = { texts: [], cards: [] };
  for (const text of lines) last = await staffSays(svc, userId, text);
  return last;
}

async function cardFrom(svc: TestService, userId: string, title: string): Promise<StaffReply['cards'][number]> {
  const card = (await staffSays(svc, userId, '我的待办')).cards.find((c) => c.main_title.title === title);
  if (!card) expect.fail(`${userId} got no "${title}" card`);
  return card;
}

const textsTo = (svc: TestService, userId: string, from: number) =>
  svc.fake.appMessages.slice(from).filter((m) => m.touser === userId && m.msgtype === 'text').map((m) => (m.text as { content: string }).content);

describe('leads staff enter by chat, over the real callback', () => {
  it('a cadre reports a lead found three days ago: a cadreCheck case from that day, opened by the cadre, run like any other; its refusal comes back to the cadre to tell the household', async () => {
    const { svc, cases } = await start();
    const opened = await says(svc, 'wangcadre', CADRE_LEAD);
    expect(opened.texts[0]).toBe(
      [
        `已立案：案件编号 ${CASE_NUMBER}（户主 李桂英，青山镇桃源村二组），线索来源：基层干部排查，2026年11月19日发现。按规定应在2026年12月4日前完成识别。`,
        '受理卡片已安排发给可以受理的人员，本村村干部也会收到通知。这户不是在微信客服申报的，收不到系统通知：办理结果会发给您，请您转告农户。',
        '农户还没有签署申请及承诺授权书：入户核实时请农户签字（或按手印），并在入户核实表中登记。',
      ].join('\n'),
    );
    const record = (await cases.repo.byNumber(CASE_NUMBER)) as CaseRecord;
    expect(record.procedure).toMatchObject({ stage: 'lead', source: 'cadreCheck', leadFoundOn: '2026-11-19', deadlines: { identification: '2026-12-04' } });
    expect(record.declaration).toMatchObject({ declaredBy: 'wangcadre', declarant: { channel: 'app', userId: 'wangcadre' }, riskTypes: ['accident'], basicGuarantees: ['housing'] });
    expect(record.declaration?.commitmentAt).toBeUndefined();
    const [opening] = await cases.audit.read(record._id);
    expect(opening!.event.actor).toEqual({ userId: 'wangcadre', role: 'cadre' });
    expect(cases.repo.sealer.openEvent(opening!.event as unknown as StoredEvent).data).toMatchObject({ source: 'cadreCheck', leadFoundOn: '2026-11-19', declaredBy: 'wangcadre' });
    // The village's other cadre is told, masked; the reporter is not told twice.
    const notice = textsTo(svc, 'zhoucadre', 0).find((t) => t.startsWith('【排查发现的线索】'));
    expect(notice).toContain('（王建国上报，2026年11月19日发现）');
    expect(notice).toContain('身份证 4306**********1236，电话 139****5678');
    expect(textsTo(svc, 'wangcadre', 0).filter((t) => t.startsWith('【'))).toEqual([]);

    // Accepted on the card, visited with the household signing at the visit (the form asks, as the lead had no signature).
    await staffClicks(svc, 'chentownship', await cardFrom(svc, 'chentownship', '受理线索'), 'agree');
    svc.clock.set(at('2026-11-23'));
    await staffClicks(svc, 'zhoucadre', await cardFrom(svc, 'zhoucadre', '入户核实'), 'fill');
    const visit = await says(svc, 'zhoucadre', ['今天', '王建国', '不变', '不变', '2', '三千', '弱劳动力或半劳动力', '都不是', '是', '户主腿伤未愈', '1']);
    expect(visit.texts.join('\n')).toContain('农户已签承诺授权书：是');
    expect((await staffSays(svc, 'zhoucadre', '1')).texts[0]).toContain('入户核实。现在：待民主评议。');

    // Refused at the appraisal: the secretary is told the household will read the reason; the cadre who reported it gets it to pass on.
    svc.clock.set(at('2026-11-24'));
    const tapped = await staffClicks(svc, 'lisecretary', await cardFrom(svc, 'lisecretary', '民主评议结果确认'), 'disagree');
    expect(tapped.texts[0]).toContain('这段理由会原话转给农户本人看');
    const kfBefore = svc.fake.kfSent.length;
    const appBefore = svc.fake.appMessages.length;
    const refused = await staffSays(svc, 'lisecretary', '经评议，您家儿子在县城有稳定工作。');
    expect(refused.texts[0]).toContain('已请王建国当面或电话告知农户结果和申请复核的途径。');
    expect(textsTo(svc, 'wangcadre', appBefore)).toEqual([
      '【请告知农户】案件 20261122-0001（户主：「李桂英」，青山镇桃源村二组）不予纳入，理由：「经评议，您家儿子在县城有稳定工作」。请同时告知农户：如有不同意见或情况有变化，可以向青山镇申请复核。\n这户的线索由工作人员录入（上报线索或代申报），农户收不到系统通知，请当面或电话告知农户。',
    ]);
    expect(svc.fake.kfSent.slice(kfBefore)).toEqual([]);
    expect(await checkCaseAudit(svc.docs, vault, CASE_NUMBER)).toMatchObject({ status: 'ok', records: 4 });

    // The household itself, writing on 微信客服, has no case under its address: it is told to ask the cadre.
    expect(await householdSays(svc, 'wmLiGuiying', '进度')).toEqual(['没有查到您在这里提交的申报。如果是村干部帮您上报或代您申报的，办理情况请问村干部。需要申报请回复“申报”。']);
  });

  it('the township declares for a household of one of its villages (the household signed on paper); a cadre reporting the same household is told it has a case, and nothing is duplicated or sent to the household', async () => {
    const { svc, cases } = await start();
    const filed = await says(svc, 'chentownship', PROXY);
    expect(filed.texts[0]).toMatch(/^已代为申报：案件编号 20261122-0001（户主 李桂英，青山镇柳塘村一组），农户2026年11月21日提出申报。按规定应在2026年12月\d+日前完成识别。/);
    const record = (await cases.repo.byNumber(CASE_NUMBER)) as CaseRecord;
    expect(record.procedure).toMatchObject({ source: 'selfDeclaration', leadFoundOn: '2026-11-21', villageCode: '430621101202' });
    expect(record.declaration).toMatchObject({ declaredBy: 'chentownship', commitmentAt: '2026-11-22', authorizationAt: '2026-11-22', onPaper: true });
    const [opening] = await cases.audit.read(record._id);
    expect(opening!.event.actor).toEqual({ userId: 'chentownship', role: 'townshipReviewer' });
    expect(cases.repo.sealer.openEvent(opening!.event as unknown as StoredEvent).data).toMatchObject({ source: 'selfDeclaration', declaredBy: 'chentownship' });
    expect(textsTo(svc, 'suncadre', 0).find((t) => t.startsWith('【代申报】'))).toContain('（陈镇长代农户申报，农户2026年11月21日提出）');

    // 王建国 serves 桃源村 only, yet finds the same household: no second case, and he is told which case it has.
    const kfBefore = svc.fake.kfSent.length;
    const again = await says(svc, 'wangcadre', CADRE_LEAD);
    expect(again.texts).toEqual([
      '这户已有一件正在办理的案件（案件编号 20261122-0001，户主 李桂英，青山镇柳塘村一组，线索日期 2026年11月21日，现在：待受理），这次没有重复立案，也没有通知农户。您了解到的新情况，请在这件案件中一并核实；回复“我的待办”查看待办事项。',
    ]);
    expect(await cases.repo.cases.count({})).toBe(1);
    expect(svc.fake.kfSent.slice(kfBefore)).toEqual([]);
    // Nothing the staff typed about the household, nor its numbers, lies in the logs.
    for (const secret of [ID, PHONE, '户主腿伤', '摔断腿']) expect(svc.logs.join('')).not.toContain(secret);
  });
});
