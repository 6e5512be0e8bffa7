import { describe, expect, it } from 'vitest';
import { StaffTexts } from '../../src/conversation/staff-texts.js';
import { createTexts } from '../../src/i18n/i18n.js';
import { act, identify, must, profile, refused, visit, withLine2026 } from './harness.js';

// A year without an income line is a gap in the county's settings, not a fact about the household:
// the elimination waits, naming the setting; the household is never held as if its income were low.
const hunan = withLine2026(profile('hunan-2022'), 7000); // 2026 set, 2027 not
const staffTexts = new StaffTexts(createTexts());

/** Elimination proposed in December 2026 and accepted; the visit comes after New Year. */
function visitingInTheNewYear() {
  let c = identify(hunan, '2026-03-02', '2026-03-05');
  c = must(act(c, hunan, 'wangcadre', { type: 'proposeElimination', method: 'natural' }, '2026-12-28'));
  return must(act(c, hunan, 'chentownship', { type: 'acceptEliminationProposal' }, '2026-12-29'));
}

describe('an elimination in a year the profile has no income line for', () => {
  it('is refused at the visit, naming the year, the file and the setting; the case stays where it is', () => {
    const c = visitingInTheNewYear();
    const decision = act(c, hunan, 'wangcadre', { ...visit, commitment: false, authorization: false, income: { year: 2027, netIncomePerCapita: 9000 } }, '2027-01-05');
    expect(refused(decision)).toEqual({
      reason: 'elimination.noIncomeThreshold',
      detail: { year: 2027, profileKey: 'hunan-2022@1', file: 'config/profiles/hunan-2022.yaml', setting: 'incomeThreshold.perYear."2027"' },
    });
    expect(c).toMatchObject({ stage: 'eliminationHomeVerification', elimination: { method: 'natural' } });
  });

  it('goes on once the county sets the line', () => {
    const c = visitingInTheNewYear();
    const set = { ...hunan, incomeThreshold: { ...hunan.incomeThreshold, perYear: { ...hunan.incomeThreshold.perYear, '2027': 7600 } } };
    const visited = must(act(c, set, 'wangcadre', { ...visit, income: { year: 2027, netIncomePerCapita: 9000 } }, '2027-01-05'));
    expect(visited.stage).toBe('householdAgreement');
  });

  it('tells staff, in each language, what is missing and where, not that the income is low', () => {
    const c = visitingInTheNewYear();
    const decision = act(c, hunan, 'wangcadre', { ...visit, income: { year: 2027, netIncomePerCapita: 9000 } }, '2027-01-05');
    if (decision.ok) expect.fail('accepted');
    const zh = staffTexts.refusal('zh-CN', decision);
    expect(zh).toContain('2027年的监测收入标准');
    expect(zh).toContain('config/profiles/hunan-2022.yaml');
    expect(zh).toContain('incomeThreshold.perYear."2027"');
    expect(zh).not.toMatch(/低于|\{\{/);
    const en = staffTexts.refusal('en', decision);
    expect(en).toContain('No monitoring income line is set for 2027 (incomeThreshold.perYear."2027" in the policy file config/profiles/hunan-2022.yaml)');
  });
});
