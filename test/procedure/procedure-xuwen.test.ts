import { describe, expect, it } from 'vitest';
import { act, eventOf, identify, must, opened, profile, refused, visit, withLine2026 } from './harness.js';

// seed001 四（三）: 农户申报 → 镇、村干部核查（镇干部走访核实）→ 比对筛查 → 镇农业农村部门确定. No appraisal, no notice.
const xuwen = withLine2026(profile('xuwen-2021'), 9600);

describe('Xuwen 2021: a township-level procedure with no village appraisal or notice', () => {
  it('identifies by visit → cross-check → township decision, the decision date being the identification date', () => {
    let c = opened(xuwen, '2026-03-02');
    c = must(act(c, xuwen, 'lisecretary', { type: 'acceptLead' }, '2026-03-02'));
    c = must(act(c, xuwen, 'wangcadre', visit, '2026-03-03'));
    expect(c).toMatchObject({ stage: 'dataCrossCheck', crossCheck: { status: 'pending' } });
    const checked = act(c, xuwen, 'liucounty', { type: 'recordCrossCheck', result: 'clear' }, '2026-03-05');
    expect(eventOf(checked)).toMatchObject({ from: 'dataCrossCheck', to: 'townshipReview' });
    c = must(checked);
    expect(refused(act(c, xuwen, 'lisecretary', { type: 'recordAppraisal' }, '2026-03-05')).reason).toBe('action.notAllowedInStage');
    c = must(act(c, xuwen, 'chentownship', { type: 'townshipApprove' }, '2026-03-06'));
    expect(c).toMatchObject({ stage: 'identified', identifiedOn: '2026-03-06', notice: null, deadlines: { assistancePlan: '2026-03-16' } });
  });

  it('an exempt household goes from the visit straight to the township', () => {
    let c = opened(xuwen, '2026-03-02');
    c = must(act(c, xuwen, 'lisecretary', { type: 'acceptLead' }, '2026-03-02'));
    const d = act(c, xuwen, 'wangcadre', { ...visit, registers: ['minimumLivingAllowance'] }, '2026-03-03');
    expect(eventOf(d)).toMatchObject({ to: 'townshipReview', data: { crossCheck: { status: 'skipped', exemptBy: 'minimumLivingAllowance' } } });
    expect(must(act(must(d), xuwen, 'chentownship', { type: 'townshipApprove' }, '2026-03-04')).stage).toBe('identified');
  });

  it('eliminates by the township visit and the township decision, with no household signature, appraisal or notice', () => {
    let c = identify(xuwen, '2026-03-02', '2026-03-05');
    c = must(act(c, xuwen, 'wangcadre', { type: 'proposeElimination', method: 'byAssistance' }, '2026-06-01'));
    c = must(act(c, xuwen, 'chentownship', { type: 'acceptEliminationProposal' }, '2026-06-01'));
    expect(c.stage).toBe('eliminationHomeVerification');
    const visited = act(c, xuwen, 'wangcadre', { ...visit, commitment: false, authorization: false, income: { year: 2026, netIncomePerCapita: 11000 } }, '2026-06-02');
    expect(eventOf(visited)).toMatchObject({ from: 'eliminationHomeVerification', to: 'eliminationTownshipReview' });
    c = must(visited);
    expect(refused(act(c, xuwen, 'wangcadre', { type: 'recordHouseholdAgreement', agrees: true }, '2026-06-02')).reason).toBe('action.notAllowedInStage');
    expect(must(act(c, xuwen, 'chentownship', { type: 'townshipApprove' }, '2026-06-03'))).toMatchObject({ stage: 'eliminated', eliminatedOn: '2026-06-03' });
  });

  it('a visit finding income below the 9600元 line holds the household in monitoring', () => {
    let c = identify(xuwen, '2026-03-02', '2026-03-05');
    c = must(act(c, xuwen, 'wangcadre', { type: 'proposeElimination', method: 'natural' }, '2026-06-01'));
    c = must(act(c, xuwen, 'chentownship', { type: 'acceptEliminationProposal' }, '2026-06-01'));
    const held = act(c, xuwen, 'wangcadre', { ...visit, income: { year: 2026, netIncomePerCapita: 9500 } }, '2026-06-02');
    expect(eventOf(held)).toMatchObject({ to: 'monitoring', reason: 'elimination.incomeBelowLine', data: { threshold: 9600 } });
  });
});
