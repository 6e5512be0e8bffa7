import type { DeadlineSource } from './deadline-source.js';

/**
 * Every source of deadlines the reminders plan from. Cases are wired now (CaseDeadlines). Monthly checks and
 * campaigns plug in here: src/checks provides a `DeadlineSource` each (named `check` and `campaign`) whose items
 * carry the monthly report day (`monthlyReport`, due on the profile's `monthlyReportDay`) and a campaign's end
 * (`campaignEnd`), with `checkId` / `campaignId`, their township or village as `area`, the staff who owe them as
 * `owners` and a `label` staff know them by; buildApp takes them as `deadlineSources`.
 */
export function deadlineSources(parts: { cases: DeadlineSource; checks?: DeadlineSource; campaigns?: DeadlineSource; more?: readonly DeadlineSource[] }): DeadlineSource[] {
  const all = [parts.cases, ...(parts.checks ? [parts.checks] : []), ...(parts.campaigns ? [parts.campaigns] : []), ...(parts.more ?? [])];
  const names = all.map((s) => s.name);
  const twice = names.find((n, i) => names.indexOf(n) !== i);
  if (twice) throw new Error(`two deadline sources are named "${twice}": item keys would clash`);
  return all;
}
