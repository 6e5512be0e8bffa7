import { addMonths, type IsoDate, yearOf } from '../policy/dates.js';
import { incomeThresholdFor, incomeThresholdSetting, type PolicyProfile, profileKey, profileSource } from '../policy/profile.js';
import type { CaseSnapshot } from './case-snapshot.js';
import { refuse, type Refusal } from './refusals.js';

type Method = NonNullable<CaseSnapshot['elimination']>['method'];

/** The first month ('YYYY-MM') in which elimination by assistance is allowed for a household identified on `identifiedOn`. */
export function earliestMonthByAssistance(identifiedOn: IsoDate, profile: PolicyProfile): string {
  return addMonths(`${identifiedOn.slice(0, 7)}-01`, profile.elimination.byAssistanceEarliestMonth).slice(0, 7);
}

/**
 * The profile's elimination guards (brief §6.3), in the order a cadre can act on them: labour, timing, income.
 * `checkIncome` is false for a proposal made without a current figure: the income on the case may be the
 * one found at identification, and the year's income is taken at the elimination home visit anyway.
 */
export function eliminationGuard(c: CaseSnapshot, profile: PolicyProfile, today: IsoDate, method: Method, checkIncome: boolean): Refusal | null {
  const rules = profile.elimination;
  if (rules.holdIfNoLabour && c.householdFlags.noLabour) return refuse('elimination.noLabourHold');
  if (method === 'byAssistance' && c.identifiedOn) {
    const earliestMonth = earliestMonthByAssistance(c.identifiedOn, profile);
    if (today.slice(0, 7) < earliestMonth) return refuse('elimination.tooSoonByAssistance', { identifiedOn: c.identifiedOn, earliestMonth });
  }
  if (!rules.blockIfIncomeBelowLine) return null;
  const year = yearOf(today);
  const threshold = incomeThresholdFor(profile, year);
  if (threshold === undefined) {
    // A gap in the profile, not a fact about the household: say which setting to add, and where.
    return refuse('elimination.noIncomeThreshold', { year, profileKey: profileKey(profile), file: profileSource(profile), setting: incomeThresholdSetting(year) });
  }
  if (!checkIncome) return null;
  const income = c.netIncomePerCapita[String(year)];
  if (income === undefined) return refuse('elimination.incomeMissing', { year });
  if (income < threshold) return refuse('elimination.incomeBelowLine', { year, netIncomePerCapita: income, threshold });
  return null;
}
