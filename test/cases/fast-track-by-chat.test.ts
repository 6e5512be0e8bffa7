import { afterEach, describe, expect, it } from 'vitest';
import { checkCaseAudit } from '../../src/cases/audit-check.js';
import { answer, at, CASE_NUMBER, caseOf, chatToMonitoring, declare, fill, staffClicks, staffSays, startCaseChat } from '../helpers/case-chat.js';
import { vault } from '../helpers/case-world.js';
import type { TestService } from '../helpers/test-app.js';

const running: TestService[] = [];
afterEach(async () => {
  for (const svc of running.splice(0)) await svc.close();
});

describe('relief first (先行救助), over the real callback', () => {
  it('a cadre marks a lead after a sudden severe illness; the procedure waits for the relief the township records, then goes on to monitoring', async () => {
    const { svc, cases } = await startCaseChat();
    running.push(svc);
    await declare(svc);
    const leadCard = (await staffSays(svc, 'chentownship', '我的待办')).cards.find((c) => c.main_title.title === '受理线索')!;

    // The village secretary marks it by command: 突发严重疾病, what happened.
    const marking = await staffSays(svc, 'lisecretary', `先行救助 ${CASE_NUMBER}`);
    expect(marking.texts[0]).toBe(`正在填写：案件 ${CASE_NUMBER}（张德福，青山镇桃源村一组）标记先行救助。`);
    const marked = await answer(svc, 'lisecretary', ['突发重病', '户主突发脑溢血住院，手术费用约八万元', '1']);
    expect(marked.texts).toEqual([
      `已记录：${CASE_NUMBER}（张德福）标记先行救助。现在：待受理。\n按规定先救助、后办程序：请尽快发放救助并登记救助情况，登记后识别程序继续。`,
    ]);
    expect((await caseOf(cases)).procedure.fastTrack).toEqual({ hardship: 'suddenIllness', markedOn: '2026-11-22', note: '户主突发脑溢血住院，手术费用约八万元' });
    // The acceptance cards sent before are greyed out as moved on: nobody reads that the secretary accepted the lead.
    await svc.built.settled();
    const greyed = svc.fake.cardUpdates.map((u) => (u.button as { replace_name: string }).replace_name);
    expect(greyed.length).toBeGreaterThan(0);
    expect(greyed.every((r) => r === '已失效 · 案件已有新进展')).toBe(true);

    // While the relief is pending, 我的待办 says so and nothing else; the acceptance card sent before has moved on.
    const todo = await staffSays(svc, 'chentownship', '我的待办');
    expect(todo.texts[0]).toBe(
      `陈镇长，您有 1 项待办（按截止日期排列）：\n1. ${CASE_NUMBER} 张德福（桃源村）：登记先行救助情况，截止2026年12月7日（识别时限15天）\n其中 1 项可以直接在下面的卡片上办理。\n回复序号（如“1”）办理其中一项。`,
    );
    expect(todo.cards.map((c) => c.main_title.title)).toEqual(['先行救助']);
    expect((await staffClicks(svc, 'chentownship', leadCard, 'agree')).texts).toEqual([`案件 ${CASE_NUMBER} 已有新进展（可能已由他人办理），这张卡片不再有效。回复“待办”查看最新待办。`]);

    // The next day the township records the relief: what, the money, the day (a day in the future is asked again).
    svc.clock.set(at('2026-11-23'));
    const relief = await fill(svc, 'chentownship', '先行救助', ['发放临时救助金，联系医院先救治', '是', '5千', '明天']);
    expect(relief.texts.join('\n')).toContain('日期不能晚于今天（2026年11月23日）');
    const reviewed = await answer(svc, 'chentownship', ['昨天']);
    expect(reviewed.texts.join('\n')).toContain('救助金（元）：5000\n救助日期：2026年11月22日');
    expect((await answer(svc, 'chentownship', ['1'])).texts).toEqual([`已记录：${CASE_NUMBER}（张德福）登记先行救助情况。现在：待受理。`]);
    expect((await caseOf(cases)).procedure.fastTrack).toMatchObject({ relief: '发放临时救助金，联系医院先救治', reliefAmount: 5000, reliefOn: '2026-11-22' });
    // The money and the words lie in no store in the clear.
    const stored = await Promise.all(['cases', 'audit_events'].map((name) => svc.docs.collection(name).find({})));
    for (const secret of ['脑溢血', '临时救助金']) expect(JSON.stringify(stored)).not.toContain(secret);
    const storedCase = stored[0]![0] as unknown as { procedure: { fastTrack: Record<string, unknown>; sealed: string } };
    expect(storedCase.procedure.fastTrack).toEqual({ hardship: 'suddenIllness', markedOn: '2026-11-22', reliefOn: '2026-11-22' });
    expect(storedCase.procedure.sealed).toEqual(expect.any(String));

    // The normal steps go on: the acceptance card is back, and the case reaches monitoring.
    expect((await staffSays(svc, 'chentownship', '我的待办')).cards.map((c) => c.main_title.title)).toEqual(['受理线索']);
    const monitored = await chatToMonitoring(svc, cases);
    expect(monitored.procedure).toMatchObject({ stage: 'monitoring', fastTrack: { hardship: 'suddenIllness', reliefOn: '2026-11-22' } });
    const trail = await cases.audit.read(monitored._id);
    expect(trail.slice(0, 4).map((r) => [r.event.action, (r.event.actor as { userId: string }).userId])).toEqual([
      ['openCase', 'kf'],
      ['markFastTrack', 'lisecretary'],
      ['recordRelief', 'chentownship'],
      ['acceptLead', 'chentownship'],
    ]);
    expect(await checkCaseAudit(svc.docs, vault, CASE_NUMBER)).toMatchObject({ status: 'ok' });
  });
});
