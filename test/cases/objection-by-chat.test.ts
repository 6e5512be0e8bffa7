import { afterEach, describe, expect, it } from 'vitest';
import { checkCaseAudit } from '../../src/cases/audit-check.js';
import { answer, at, CASE_NUMBER, caseOf, chatToMonitoring, declare, fill, staffSays, startCaseChat } from '../helpers/case-chat.js';
import { vault } from '../helpers/case-world.js';
import type { CaseSnapshot } from '../../src/procedure/case-snapshot.js';
import { householdSays } from '../helpers/staff-chat.js';
import type { TestService } from '../helpers/test-app.js';

/** The notice runs and the county has recorded its cross-check. */
const noticeRunning = (c: CaseSnapshot) => c.stage === 'publicNotice' && c.crossCheck.status !== 'pending';

const running: TestService[] = [];
afterEach(async () => {
  for (const svc of running.splice(0)) await svc.close();
});

describe('an objection during the public notice, over the real callback', () => {
  it('is recorded by command with the raiser named (sealed), upheld by the village secretary from her card, and the case, visited again, goes on to monitoring', { timeout: 60_000 }, async () => {
    const { svc, cases } = await startCaseChat();
    running.push(svc);
    await declare(svc);
    // Accepted, visited, appraised: the notice runs (to 11-28) and the county has cross-checked.
    svc.clock.set(at('2026-11-23'));
    await chatToMonitoring(svc, cases, { stopAt: noticeRunning });
    const firstNotice = (await caseOf(cases)).procedure.notice!;
    expect(firstNotice).toEqual({ startsOn: '2026-11-23', endsOn: '2026-11-28' });

    // A villager objects, by name; the cadre records it by command.
    svc.clock.set(at('2026-11-25'));
    const started = await staffSays(svc, 'zhoucadre', `异议 ${CASE_NUMBER}`);
    expect(started.texts[0]).toBe(`正在填写：案件 ${CASE_NUMBER}（张德福，青山镇桃源村一组）登记公示异议。`);
    const recorded = await answer(svc, 'zhoucadre', ['实名', '赵四', '该户儿子在县城经营门店，收入较高', '1']);
    expect(recorded.texts).toEqual([
      `已记录：${CASE_NUMBER}（张德福）登记公示异议。现在：公示中。\n异议处理前不能结束公示：已请村支部书记或乡镇审核人核实，并决定异议是否成立。`,
    ]);
    expect((await caseOf(cases)).procedure.objections).toEqual([{ id: 'obj-1', raisedOn: '2026-11-25', raisedBy: '赵四', summary: '该户儿子在县城经营门店，收入较高', status: 'open' }]);
    // Who objected lies in no store in the clear, and in no log.
    const stored = JSON.stringify(await Promise.all(['cases', 'audit_events', 'outbox'].map((name) => svc.docs.collection(name).find({}))));
    expect(stored).toContain(CASE_NUMBER);
    for (const secret of ['赵四', '经营门店']) {
      expect(stored).not.toContain(secret);
      expect(svc.logs.join('')).not.toContain(secret);
    }

    // The notice's last day: with the objection open, nothing offers the cadres to close it.
    svc.clock.set(at('2026-11-28'));
    const cadreTodo = await staffSays(svc, 'zhoucadre', '我的待办');
    expect(cadreTodo.cards).toEqual([]);
    expect(cadreTodo.texts).toEqual(['周志强，您目前没有待办事项。']);

    // The village secretary reads the objection and upholds it: the notice is withdrawn, back to the home visit.
    const deciding = await fill(svc, 'lisecretary', '处理公示异议', []);
    expect(deciding.texts).toContain('要处理的异议（2026年11月25日登记，提出人：「赵四」）：「该户儿子在县城经营门店，收入较高」');
    const upheld = await answer(svc, 'lisecretary', ['成立', '经核实儿子经营门店，需重新核实家庭收入', '1']);
    expect(upheld.texts).toEqual([`已记录：${CASE_NUMBER}（张德福）处理公示异议。现在：待入户核实。`]);
    expect((await caseOf(cases)).procedure).toMatchObject({ stage: 'homeVerification', notice: null, crossCheck: { status: 'pending' }, objections: [{ status: 'upheld', resolution: '经核实儿子经营门店，需重新核实家庭收入' }] });
    // The visit's staff got their cards again.
    const visitCards = svc.fake.appMessages.filter((m) => m.msgtype === 'template_card' && (m.template_card as { main_title: { title: string } }).main_title.title === '入户核实');
    expect(visitCards.map((m) => m.touser).slice(-3).sort()).toEqual(['chentownship', 'wangcadre', 'zhoucadre']);

    // Visited again with the new income, appraised, a full new notice, and on to monitoring.
    await fill(svc, 'zhoucadre', '入户核实', ['今天', '王建国', '不变', '不变', '3', '五千二', '有劳动能力', '都不是', '儿子门店收入已计入', '1', '1']);
    await chatToMonitoring(svc, cases, { stopAt: noticeRunning });
    expect((await caseOf(cases)).procedure.notice).toEqual({ startsOn: '2026-11-28', endsOn: '2026-12-03' });
    const monitored = await chatToMonitoring(svc, cases, { cadre: 'zhoucadre' });
    expect(monitored.procedure).toMatchObject({ stage: 'monitoring', identifiedOn: '2026-12-03', netIncomePerCapita: { '2026': 5200 } });
    expect((await householdSays(svc, 'wmHousehold01', '进度')).join('\n')).toContain('已纳入监测帮扶');

    const trail = await cases.audit.read(monitored._id);
    expect(trail.map((r) => r.event.action)).toEqual([
      'openCase', 'acceptLead', 'recordHomeVerification', 'recordAppraisal', 'recordCrossCheck', 'recordObjection', 'resolveObjection',
      'recordHomeVerification', 'recordAppraisal', 'recordCrossCheck', 'closeNotice', 'townshipApprove', 'countyApprove', 'register', 'recordAssistancePlan',
    ]);
    // The trail keeps who objected sealed, like the case.
    expect(trail[5]!.event).toMatchObject({ actor: { userId: 'zhoucadre', role: 'cadre' }, sealed: expect.any(String) });
    expect(trail[5]!.event.data).not.toHaveProperty('raisedBy');
    expect(trail[6]!.event).toMatchObject({ actor: { userId: 'lisecretary', role: 'villageSecretary' }, from: 'publicNotice', to: 'homeVerification' });
    expect(await checkCaseAudit(svc.docs, vault, CASE_NUMBER)).toMatchObject({ status: 'ok', records: 15 });
  });
});

