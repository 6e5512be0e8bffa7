import { describe, expect, it } from 'vitest';
import type { CaseSnapshot } from '../../src/procedure/case-snapshot.js';
import { act, eventOf, must, opened, profile, refused, visit } from './harness.js';

const hunan = profile('hunan-2022');

/** A Hunan case whose 5-day notice was posted on 2026-03-05 (it ends on 2026-03-10). */
function inNotice(): CaseSnapshot {
  let c = opened(hunan, '2026-03-02');
  c = must(act(c, hunan, 'chentownship', { type: 'acceptLead' }, '2026-03-02'));
  c = must(act(c, hunan, 'wangcadre', visit, '2026-03-03'));
  c = must(act(c, hunan, 'lisecretary', { type: 'recordAppraisal' }, '2026-03-05'));
  return must(act(c, hunan, 'liucounty', { type: 'recordCrossCheck', result: 'clear' }, '2026-03-05'));
}

describe('objections during the public notice', () => {
  it('an upheld objection withdraws the notice and sends the case back to the home visit, with the reason', () => {
    let c = must(act(inNotice(), hunan, 'wangcadre', { type: 'recordObjection', summary: '该户儿子在县城经营门店，收入较高' }, '2026-03-06'));
    c = must(act(c, hunan, 'wangcadre', { type: 'recordObjection', summary: '该户有小汽车一台' }, '2026-03-07'));
    expect(c.objections.map((o) => [o.id, o.status])).toEqual([['obj-1', 'open'], ['obj-2', 'open']]);
    expect(refused(act(c, hunan, 'wangcadre', { type: 'closeNotice' }, '2026-03-10'))).toEqual({ reason: 'notice.objectionOpen', detail: { objectionIds: ['obj-1', 'obj-2'] } });

    const d = act(c, hunan, 'lisecretary', { type: 'resolveObjection', objectionId: 'obj-1', upheld: true, reason: '经核实儿子经营门店，需重新核实收入' }, '2026-03-08');
    expect(eventOf(d)).toMatchObject({ from: 'publicNotice', to: 'homeVerification', reason: '经核实儿子经营门店，需重新核实收入' });
    c = must(d);
    expect(c).toMatchObject({ stage: 'homeVerification', notice: null, crossCheck: { status: 'pending' } });
    expect(c.objections.map((o) => [o.id, o.status])).toEqual([['obj-1', 'upheld'], ['obj-2', 'superseded']]);

    // The procedure runs again from the visit; the new notice is a full 5 days from its own posting.
    c = must(act(c, hunan, 'wangcadre', { ...visit, income: { year: 2026, netIncomePerCapita: 6100 } }, '2026-03-09'));
    c = must(act(c, hunan, 'lisecretary', { type: 'recordAppraisal' }, '2026-03-10'));
    expect(c.notice).toEqual({ startsOn: '2026-03-10', endsOn: '2026-03-15' });
  });

  it('a dismissed objection keeps the notice running, and the notice then closes', () => {
    let c = must(act(inNotice(), hunan, 'wangcadre', { type: 'recordObjection', summary: '邻里纠纷，反映该户不困难' }, '2026-03-06'));
    c = must(act(c, hunan, 'chentownship', { type: 'resolveObjection', objectionId: 'obj-1', upheld: false, reason: '经调查反映不实' }, '2026-03-07'));
    expect(c).toMatchObject({ stage: 'publicNotice', objections: [{ status: 'dismissed', resolvedOn: '2026-03-07', resolution: '经调查反映不实' }] });
    expect(refused(act(c, hunan, 'lisecretary', { type: 'resolveObjection', objectionId: 'obj-1', upheld: true, reason: '再议' }, '2026-03-08')).reason).toBe('objection.alreadyResolved');
    expect(refused(act(c, hunan, 'lisecretary', { type: 'resolveObjection', objectionId: 'obj-9', upheld: true, reason: '再议' }, '2026-03-08')).reason).toBe('objection.unknown');
    expect(must(act(c, hunan, 'wangcadre', { type: 'closeNotice' }, '2026-03-10')).stage).toBe('townshipReview');
  });

  it('keeps who raised an objection when they gave their name, and nothing when it was anonymous', () => {
    let c = must(act(inNotice(), hunan, 'wangcadre', { type: 'recordObjection', summary: '该户有小汽车', raisedBy: '张三' }, '2026-03-06'));
    c = must(act(c, hunan, 'lisecretary', { type: 'recordObjection', summary: '该户儿子有工作' }, '2026-03-06'));
    expect(c.objections).toEqual([
      { id: 'obj-1', raisedOn: '2026-03-06', raisedBy: '张三', summary: '该户有小汽车', status: 'open' },
      { id: 'obj-2', raisedOn: '2026-03-06', summary: '该户儿子有工作', status: 'open' },
    ]);
    expect(refused(act(c, hunan, 'wangcadre', { type: 'recordObjection', summary: '有车', raisedBy: '13812345678' }, '2026-03-06')).reason).toBe('action.invalid');
  });

  it('objections are taken until the last day of the notice', () => {
    const c = inNotice();
    expect(must(act(c, hunan, 'lisecretary', { type: 'recordObjection', summary: '最后一天提出异议' }, '2026-03-10')).objections).toHaveLength(1);
    expect(refused(act(c, hunan, 'lisecretary', { type: 'recordObjection', summary: '公示期满后提出' }, '2026-03-11'))).toEqual({ reason: 'notice.ended', detail: { endsOn: '2026-03-10' } });
  });
});
