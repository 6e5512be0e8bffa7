import type { DeadlineSource } from './deadline-source.js';

/**
 * Every source of deadlines the reminders plan from: cases (CaseDeadlines), and the checks room's two
 * (src/checks/check-deadlines.ts, wired in app.ts): `check`, the monthly report day (`monthlyReport`, due on the
 * profile's `monthlyReportDay`), and `campaign`, a campaign's end (`campaignEnd`), with `checkId` / `campaignId`,
 * their village (a cadre's share) or township (its reviewers') as `area`, the staff who owe them as `owners` and
 * a `label` staff know them by. `more` takes any further source.
 */
export function deadlineSources(parts: { cases: DeadlineSource; checks?: DeadlineSource; campaigns?: DeadlineSource; more?: readonly DeadlineSource[] }): DeadlineSource[] {
  const all = [parts.cases, ...(parts.checks ? [parts.checks] : []), ...(parts.campaigns ? [parts.campaigns] : []), ...(parts.more ?? [])];
  const names = all.map((s) => s.name);
  const twice = names.find((n, i) => names.indexOf(n) !== i);
  if (twice) throw new Error(`two deadline sources are named "${twice}": item keys would clash`);
  return all;
}
