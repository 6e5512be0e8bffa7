import { describe, expect, it } from 'vitest';
import type { PolicyProfile } from '../../src/policy/profile.js';
import type { CaseSnapshot } from '../../src/procedure/case-snapshot.js';
import { act, eventOf, identify, must, profile, refused, visit, withLine2026 } from './harness.js';

// Identified on 2026-03-10 (Hunan, county approval) or 2026-03-12 (Henan, township decision).
const hunan = withLine2026(profile('hunan-2022'), 7000);
const henan = withLine2026(profile('henan-2021'), 7000);

/** A visit for the elimination: income for 2026 above the line unless told otherwise. */
const eliminationVisit = (netIncomePerCapita = 8200, noLabour = false) =>
  ({ ...visit, commitment: false, authorization: false, income: { year: 2026, netIncomePerCapita }, noLabour }) as const;

/** Monitoring since March; elimination proposed and accepted on 2026-06-01. */
function atEliminationVisit(p: PolicyProfile): CaseSnapshot {
  let c = identify(p, '2026-03-02', '2026-03-05');
  c = must(act(c, p, 'wangcadre', { type: 'proposeElimination', method: 'byAssistance' }, '2026-06-01'));
  return must(act(c, p, 'chentownship', { type: 'acceptEliminationProposal' }, '2026-06-01'));
}

describe('risk elimination', () => {
  it('Hunan: proposal → township visit → household agrees → appraisal → 5-day notice → township → county → eliminated; the record stays', () => {
    let c = atEliminationVisit(hunan);
    c = must(act(c, hunan, 'wangcadre', eliminationVisit(), '2026-06-02'));
    expect(c).toMatchObject({ stage: 'householdAgreement', netIncomePerCapita: { 2026: 8200 } });
    c = must(act(c, hunan, 'wangcadre', { type: 'recordHouseholdAgreement', agrees: true }, '2026-06-02'));
    expect(c).toMatchObject({ stage: 'eliminationAppraisal', elimination: { method: 'byAssistance', proposedOn: '2026-06-01', householdAgreedOn: '2026-06-02' } });
    c = must(act(c, hunan, 'lisecretary', { type: 'recordAppraisal' }, '2026-06-03'));
    expect(c).toMatchObject({ stage: 'eliminationNotice', notice: { startsOn: '2026-06-03', endsOn: '2026-06-08' } });
    expect(refused(act(c, hunan, 'wangcadre', { type: 'closeNotice' }, '2026-06-07')).reason).toBe('notice.notEnded');
    c = must(act(c, hunan, 'wangcadre', { type: 'closeNotice' }, '2026-06-08'));
    c = must(act(c, hunan, 'chentownship', { type: 'townshipApprove' }, '2026-06-09'));
    expect(c.stage).toBe('eliminationCountyApproval');
    const approval = act(c, hunan, 'liucounty', { type: 'countyApprove' }, '2026-06-10');
    expect(eventOf(approval)).toMatchObject({ from: 'eliminationCountyApproval', to: 'eliminated', data: { eliminatedOn: '2026-06-10' } });
    c = must(approval);
    expect(c).toMatchObject({ stage: 'eliminated', eliminatedOn: '2026-06-10', identifiedOn: '2026-03-10', monitoringContacts: ['wangcadre'] });
  });

  it('checks the guards again at the final decision: once the year has turned, that year needs its own line and income', () => {
    let c = must(act(atEliminationVisit(hunan), hunan, 'wangcadre', eliminationVisit(), '2026-12-01'));
    c = must(act(c, hunan, 'wangcadre', { type: 'recordHouseholdAgreement', agrees: true }, '2026-12-01'));
    c = must(act(c, hunan, 'lisecretary', { type: 'recordAppraisal' }, '2026-12-20'));
    c = must(act(c, hunan, 'wangcadre', { type: 'closeNotice' }, '2026-12-25'));
    c = must(act(c, hunan, 'chentownship', { type: 'townshipApprove' }, '2026-12-28'));
    expect(refused(act(c, hunan, 'liucounty', { type: 'countyApprove' }, '2027-01-05'))).toEqual({
      reason: 'elimination.noIncomeThreshold',
      detail: { year: 2027, profileKey: 'hunan-2022@1', file: 'config/profiles/hunan-2022.yaml', setting: 'incomeThreshold.perYear."2027"' },
    });
    expect(must(act(c, hunan, 'liucounty', { type: 'countyApprove' }, '2026-12-31')).stage).toBe('eliminated');
  });

  it('Henan: the township decision eliminates, with no county step', () => {
    let c = identify(henan, '2026-03-02', '2026-03-05');
    c = must(act(c, henan, 'wangcadre', { type: 'proposeElimination', method: 'byAssistance', income: { year: 2026, netIncomePerCapita: 8200 } }, '2026-06-01'));
    c = must(act(c, henan, 'chentownship', { type: 'acceptEliminationProposal' }, '2026-06-01'));
    c = must(act(c, henan, 'lisecretary', { type: 'recordAppraisal' }, '2026-06-03'));
    c = must(act(c, henan, 'wangcadre', { type: 'closeNotice' }, '2026-06-10'));
    expect(must(act(c, henan, 'chentownship', { type: 'townshipApprove' }, '2026-06-10'))).toMatchObject({ stage: 'eliminated', eliminatedOn: '2026-06-10' });
  });

  it('is refused while the year income is below the line, and a visit that finds it so holds the household in monitoring', () => {
    const monitored = identify(hunan, '2026-03-02', '2026-03-05');
    const proposal = { type: 'proposeElimination', method: 'natural', income: { year: 2026, netIncomePerCapita: 6800 } } as const;
    expect(refused(act(monitored, hunan, 'wangcadre', proposal, '2026-06-01'))).toEqual({
      reason: 'elimination.incomeBelowLine',
      detail: { year: 2026, netIncomePerCapita: 6800, threshold: 7000 },
    });
    // Without a figure the proposal goes ahead (the identification-time 5200 is not this year's measure) …
    const proposed = must(act(monitored, hunan, 'wangcadre', { type: 'proposeElimination', method: 'natural' }, '2026-06-01'));
    const visiting = must(act(proposed, hunan, 'chentownship', { type: 'acceptEliminationProposal' }, '2026-06-01'));
    // … and the elimination visit must bring this year's figure.
    expect(refused(act(visiting, hunan, 'wangcadre', { ...eliminationVisit(), income: { year: 2025, netIncomePerCapita: 9000 } }, '2026-06-02'))).toEqual({
      reason: 'elimination.incomeMissing',
      detail: { year: 2026 },
    });

    const held = act(visiting, hunan, 'wangcadre', eliminationVisit(6800), '2026-06-02');
    expect(eventOf(held)).toMatchObject({ to: 'monitoring', reason: 'elimination.incomeBelowLine', data: { heldBy: 'elimination.incomeBelowLine', threshold: 7000 } });
    expect(must(held)).toMatchObject({ stage: 'monitoring', elimination: null, netIncomePerCapita: { 2026: 6800 } });
  });

  it('refuses without an income line for the year: the shipped profiles have none for 2026', () => {
    const shipped = profile('hunan-2022');
    const c = identify(shipped, '2026-03-02', '2026-03-05');
    expect(refused(act(c, shipped, 'wangcadre', { type: 'proposeElimination', method: 'natural' }, '2026-06-01'))).toEqual({
      reason: 'elimination.noIncomeThreshold',
      detail: { year: 2026, profileKey: 'hunan-2022@1', file: 'config/profiles/hunan-2022.yaml', setting: 'incomeThreshold.perYear."2026"' },
    });
  });

  it('holds a household without labour capacity in monitoring', () => {
    let c = identify(hunan, '2026-03-02', '2026-03-05');
    c = { ...c, householdFlags: { ...c.householdFlags, noLabour: true } };
    expect(refused(act(c, hunan, 'wangcadre', { type: 'proposeElimination', method: 'natural' }, '2026-06-01')).reason).toBe('elimination.noLabourHold');

    const held = must(act(atEliminationVisit(hunan), hunan, 'wangcadre', eliminationVisit(9000, true), '2026-06-02'));
    expect(held).toMatchObject({ stage: 'monitoring', householdFlags: { noLabour: true } });
  });

  it('refuses elimination by assistance in the identification month and the next; natural elimination is not held back', () => {
    const c = identify(hunan, '2026-03-02', '2026-03-05');
    expect(refused(act(c, hunan, 'wangcadre', { type: 'proposeElimination', method: 'byAssistance' }, '2026-04-30'))).toEqual({
      reason: 'elimination.tooSoonByAssistance',
      detail: { identifiedOn: '2026-03-10', earliestMonth: '2026-05' },
    });
    expect(must(act(c, hunan, 'wangcadre', { type: 'proposeElimination', method: 'byAssistance' }, '2026-05-01')).stage).toBe('eliminationProposed');
    expect(must(act(c, hunan, 'wangcadre', { type: 'proposeElimination', method: 'natural' }, '2026-04-30')).stage).toBe('eliminationProposed');
  });

  it('stops when the household does not agree, or when a decider holds it; the household stays monitored', () => {
    let c = must(act(atEliminationVisit(hunan), hunan, 'wangcadre', eliminationVisit(), '2026-06-02'));
    const disagrees = act(c, hunan, 'wangcadre', { type: 'recordHouseholdAgreement', agrees: false }, '2026-06-02');
    expect(eventOf(disagrees)).toMatchObject({ to: 'monitoring', reason: 'householdDisagrees' });
    expect(must(disagrees).elimination).toBeNull();

    c = must(act(c, hunan, 'wangcadre', { type: 'recordHouseholdAgreement', agrees: true }, '2026-06-02'));
    const stopped = act(c, hunan, 'chentownship', { type: 'holdInMonitoring', reasons: ['务工收入尚不稳定'] }, '2026-06-03');
    expect(eventOf(stopped)).toMatchObject({ from: 'eliminationAppraisal', to: 'monitoring', reason: '务工收入尚不稳定' });
  });

  it('keeps what changed with the proposal, and how and when the household agreed (a paper signature is dated)', () => {
    let c = identify(hunan, '2026-03-02', '2026-03-05');
    c = must(act(c, hunan, 'wangcadre', { type: 'proposeElimination', method: 'byAssistance', note: '儿子稳定务工，月收入四千元' }, '2026-06-01'));
    expect(c.elimination).toEqual({ method: 'byAssistance', proposedOn: '2026-06-01', note: '儿子稳定务工，月收入四千元' });
    c = must(act(c, hunan, 'chentownship', { type: 'acceptEliminationProposal' }, '2026-06-01'));
    c = must(act(c, hunan, 'wangcadre', eliminationVisit(), '2026-06-02'));
    const sign = (signedOn: string) => act(c, hunan, 'wangcadre', { type: 'recordHouseholdAgreement', agrees: true, signedOn }, '2026-06-04');
    expect(refused(sign('2026-06-05'))).toEqual({ reason: 'householdAgreement.dateInFuture', detail: { signedOn: '2026-06-05' } });
    expect(refused(sign('2026-05-31'))).toEqual({ reason: 'householdAgreement.beforeProposal', detail: { signedOn: '2026-05-31', proposedOn: '2026-06-01' } });
    expect(must(sign('2026-06-03')).elimination).toMatchObject({ householdAgreedOn: '2026-06-03', householdAgreedVia: 'paper' });
    const online = must(act(c, hunan, 'wangcadre', { type: 'recordHouseholdAgreement', agrees: true, via: 'kf' }, '2026-06-04'));
    expect(online.elimination).toMatchObject({ householdAgreedOn: '2026-06-04', householdAgreedVia: 'kf' });
  });

  it('a visit that finds the guarantees or the risks not stably settled holds the household in monitoring, saying why', () => {
    const c = atEliminationVisit(hunan);
    for (const found of [{ guaranteesStable: false, risksGone: true }, { guaranteesStable: true, risksGone: false }]) {
      expect(refused(act(c, hunan, 'wangcadre', { ...eliminationVisit(), ...found }, '2026-06-02')).reason).toBe('elimination.holdReasonMissing');
      const held = act(c, hunan, 'wangcadre', { ...eliminationVisit(), ...found, reasons: ['住房仍有安全隐患'] }, '2026-06-02');
      expect(eventOf(held)).toMatchObject({ from: 'eliminationHomeVerification', to: 'monitoring', reason: '住房仍有安全隐患', data: { heldBy: 'homeVerification' } });
      expect(must(held)).toMatchObject({ stage: 'monitoring', elimination: null });
    }
    expect(must(act(c, hunan, 'wangcadre', { ...eliminationVisit(), guaranteesStable: true, risksGone: true }, '2026-06-02')).stage).toBe('householdAgreement');
  });
});
