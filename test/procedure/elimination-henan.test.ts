import { describe, expect, it } from 'vitest';
import type { CaseSnapshot } from '../../src/procedure/case-snapshot.js';
import { act, eventOf, identify, must, profile, refused, visit, withLine2026 } from './harness.js';

// seed000 三（四）2: 村级评议公示 (≥7 days) → 乡镇确定公告 → 县级备案 → 告知. No elimination home visit, no household signature.
const henan = withLine2026(profile('henan-2021'), 7000);
const income = (netIncomePerCapita: number, year = 2026) => ({ year, netIncomePerCapita });

/** Identified on 2026-03-12 (township decision after the 7-day notice); monitored since. */
const monitored = (): CaseSnapshot => identify(henan, '2026-03-02', '2026-03-05');

describe('Henan 2021 risk elimination: the village appraisal and notice, with no home visit or household signature', () => {
  it('goes proposal → township go-ahead → appraisal → 7-day notice → township decision → eliminated', () => {
    let c = must(act(monitored(), henan, 'wangcadre', { type: 'proposeElimination', method: 'byAssistance', income: income(8200) }, '2026-06-01'));
    expect(c).toMatchObject({ stage: 'eliminationProposed', netIncomePerCapita: { 2026: 8200 } });

    const accepted = act(c, henan, 'chentownship', { type: 'acceptEliminationProposal' }, '2026-06-01');
    expect(eventOf(accepted)).toMatchObject({ from: 'eliminationProposed', to: 'eliminationAppraisal' });
    c = must(accepted);
    for (const step of [{ ...visit, income: income(8200) }, { type: 'recordHouseholdAgreement', agrees: true }] as const) {
      expect(refused(act(c, henan, 'wangcadre', step, '2026-06-02')).reason).toBe('action.notAllowedInStage');
    }

    c = must(act(c, henan, 'lisecretary', { type: 'recordAppraisal' }, '2026-06-03'));
    expect(c).toMatchObject({ stage: 'eliminationNotice', notice: { startsOn: '2026-06-03', endsOn: '2026-06-10' } });
    expect(refused(act(c, henan, 'wangcadre', { type: 'closeNotice' }, '2026-06-09')).reason).toBe('notice.notEnded');
    c = must(act(c, henan, 'wangcadre', { type: 'closeNotice' }, '2026-06-10'));
    c = must(act(c, henan, 'chentownship', { type: 'townshipApprove' }, '2026-06-11'));
    expect(c).toMatchObject({ stage: 'eliminated', eliminatedOn: '2026-06-11', elimination: { method: 'byAssistance', proposedOn: '2026-06-01' } });
    expect(c.elimination).not.toHaveProperty('householdAgreedOn');
  });

  it('takes the year income with the proposal, since no visit records it later', () => {
    const c = monitored(); // its 2026 figure (5200) is the identification visit's, not a measure of recovery
    const propose = (extra: object) => act(c, henan, 'wangcadre', { type: 'proposeElimination', method: 'byAssistance', ...extra }, '2026-06-01');
    expect(refused(propose({}))).toEqual({ reason: 'elimination.incomeMissing', detail: { year: 2026 } });
    expect(refused(propose({ income: income(9000, 2025) }))).toEqual({ reason: 'elimination.incomeMissing', detail: { year: 2026 } });
    expect(refused(propose({ income: income(6800) }))).toEqual({
      reason: 'elimination.incomeBelowLine',
      detail: { year: 2026, netIncomePerCapita: 6800, threshold: 7000 },
    });
    // Labour and timing are judged first, as everywhere.
    const noLabour = { ...c, householdFlags: { ...c.householdFlags, noLabour: true } };
    expect(refused(act(noLabour, henan, 'wangcadre', { type: 'proposeElimination', method: 'byAssistance' }, '2026-06-01')).reason).toBe('elimination.noLabourHold');
  });

  it('without a line for the year, names the setting to add in the Henan file, with or without a figure', () => {
    const shipped = profile('henan-2021');
    const c = identify(shipped, '2026-03-02', '2026-03-05');
    const detail = { year: 2026, profileKey: 'henan-2021@1', file: 'config/profiles/henan-2021.yaml', setting: 'incomeThreshold.perYear."2026"' };
    for (const extra of [{}, { income: income(8200) }]) {
      expect(refused(act(c, shipped, 'wangcadre', { type: 'proposeElimination', method: 'natural', ...extra }, '2026-06-01'))).toEqual({ reason: 'elimination.noIncomeThreshold', detail });
    }
  });

  it('an upheld objection takes the case back to the village appraisal, and a new full notice follows', () => {
    let c = must(act(monitored(), henan, 'wangcadre', { type: 'proposeElimination', method: 'natural', income: income(8200) }, '2026-06-01'));
    c = must(act(c, henan, 'chentownship', { type: 'acceptEliminationProposal' }, '2026-06-01'));
    c = must(act(c, henan, 'lisecretary', { type: 'recordAppraisal' }, '2026-06-03'));
    c = must(act(c, henan, 'wangcadre', { type: 'recordObjection', summary: '该户仍有大额医疗支出' }, '2026-06-05'));
    const upheld = act(c, henan, 'lisecretary', { type: 'resolveObjection', objectionId: 'obj-1', upheld: true, reason: '医疗支出属实，重新评议' }, '2026-06-06');
    expect(eventOf(upheld)).toMatchObject({ from: 'eliminationNotice', to: 'eliminationAppraisal', reason: '医疗支出属实，重新评议' });
    c = must(upheld);
    expect(c).toMatchObject({ notice: null, objections: [{ id: 'obj-1', status: 'upheld' }] });
    c = must(act(c, henan, 'lisecretary', { type: 'recordAppraisal' }, '2026-06-08'));
    expect(c.notice).toEqual({ startsOn: '2026-06-08', endsOn: '2026-06-15' });
  });
});
