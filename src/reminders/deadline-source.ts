import type { Role } from '../org/org.js';
import type { DayUnit } from '../policy/calendar.js';
import type { IsoDate } from '../policy/dates.js';
import type { ActionType } from '../procedure/actions.js';
import type { Stage } from '../procedure/stages.js';

/**
 * What a deadline is for. Cases: the township's acceptance of a declaration, identification (15 days from the
 * lead), the end of a public notice, the assistance plan (10 days), entering the measures (1 month), telling a
 * refused household. Monthly checks and campaigns (src/checks) add the monthly report day and a campaign's end.
 */
export const DEADLINE_KINDS = [
  'declarationAcceptance',
  'identification',
  'noticeEnd',
  'assistancePlan',
  'measureEntry',
  'rejectionNotice',
  'monthlyReport',
  'campaignEnd',
] as const;
export type DeadlineKind = (typeof DEADLINE_KINDS)[number];

/**
 * Someone who must do the item, and what they would do (the step 去办理 opens, for a case).
 * @example { "userId": "wangcadre", "role": "cadre", "action": "recordAssistancePlan" }
 */
export interface DeadlineOwner {
  userId: string;
  role: Role;
  action?: ActionType;
}

/**
 * One thing that must be done by a date, still open: the unit of reminders and escalation. `key` names it and
 * its due date, so an acknowledgement never carries over to a later deadline of the same kind.
 * @example { "key": "case:5f0c…:assistancePlan:2026-12-02", "kind": "assistancePlan", "dueOn": "2026-12-02", "unit": "natural",
 *   "owners": [{ "userId": "wangcadre", "role": "cadre", "action": "recordAssistancePlan" }], "area": "430621101201",
 *   "caseId": "5f0c…", "caseNumber": "20261122-0001", "caseVersion": 9, "stage": "registered", "head": "张德福", "place": "青山镇桃源村一组" }
 */
export interface DeadlineItem {
  key: string;
  kind: DeadlineKind;
  /** Last day (inclusive). */
  dueOn: IsoDate;
  /** The unit reminders count in: the limit's own (a limit in months counts in natural days). */
  unit: DayUnit;
  /** Who must do it: they get the reminders; escalation starts from the lowest rung among them. */
  owners: DeadlineOwner[];
  /** The area it belongs to (a case's village, a check's township): escalation climbs the area tree from here. */
  area: string;
  /** True when acknowledging it is doing it (telling a refused household in person): it is then closed. */
  doneWhenAcknowledged?: boolean;
  caseId?: string;
  caseNumber?: string;
  caseVersion?: number;
  stage?: Stage;
  /** The household head's name and the place, as staff see them on cards. */
  head?: string;
  place?: string;
  /** A monthly check or campaign: its id and the label staff know it by (src/checks fills these in). */
  checkId?: string;
  campaignId?: string;
  label?: string;
}

/**
 * Where deadlines come from. Cases are one source (case-deadlines.ts); monthly checks and campaigns plug in the
 * same way (see reminder-sources.ts). A source returns only what is still open: nothing done is ever reminded.
 */
export interface DeadlineSource {
  /** The prefix of the keys it makes (`case`, `check`, `campaign`). */
  readonly name: string;
  /** Every open item, as of `today`. */
  openItems(today: IsoDate): Promise<DeadlineItem[]>;
  /** Those of `keys` (its own) still open as of `today`: a reminder is looked at again just before it goes out. */
  stillOpen(keys: readonly string[], today: IsoDate): Promise<DeadlineItem[]>;
}

/** The source a key belongs to: the part before the first ':'. */
export function sourceOf(key: string): string {
  return key.slice(0, key.indexOf(':'));
}
