import type { Org } from '../org/org.js';
import type { WorkCalendar } from '../policy/calendar.js';
import type { IsoDate } from '../policy/dates.js';
import type { DeadlineItem } from './deadline-source.js';
import type { ReminderSettings } from './reminder-settings.js';
import { escalationLadder, escalationLevel, escalationRecipients, timingOn, type Timing } from './schedule.js';

/**
 * One line of a digest: an item, where it stands, and whether it reached this person by escalation (they do
 * not own it; someone below them is late with it).
 * @example { "item": { "key": "case:5f0c…:assistancePlan:2026-12-02", … }, "timing": { "kind": "overdue", "days": 2, "unit": "natural" }, "escalated": true }
 */
export interface DigestEntry {
  item: DeadlineItem;
  timing: Timing;
  escalated?: boolean;
}

/** What one person is reminded of on one day: one message, not one per item. */
export interface Digest {
  userId: string;
  date: IsoDate;
  entries: DigestEntry[];
}

export interface PlanContext {
  today: IsoDate;
  settings: Pick<ReminderSettings, 'daysBefore' | 'escalateAfterDays'>;
  calendar: WorkCalendar;
  org: Org;
  /** Keys of items someone acknowledged (已知晓): they climb no further; those done by acknowledging are gone. */
  acknowledged: ReadonlySet<string>;
}

/**
 * The day's digests: each open item on its reminder days goes to its owners; an overdue one not acknowledged
 * also goes to every rung it has climbed. Entries run by due date (overdue first), own before escalated.
 * Pure: the same items, day and acknowledgements always give the same digests.
 */
export function planDigests(items: readonly DeadlineItem[], ctx: PlanContext): Digest[] {
  const { today, settings, calendar, acknowledged } = ctx;
  const ladder = escalationLadder(ctx.org);
  // Many items share a due date: each date's timing is worked out once per unit.
  const timings = { natural: new Map<string, Timing | null>(), working: new Map<string, Timing | null>() };
  const timingOf = (item: DeadlineItem) => {
    const known = timings[item.unit].get(item.dueOn);
    if (known !== undefined) return known;
    const timing = timingOn(item, today, settings.daysBefore, calendar) ?? null;
    timings[item.unit].set(item.dueOn, timing);
    return timing;
  };
  // Items in digest order, so each person's lines come out sorted as they are added.
  const sorted = [...items].sort(byDue);
  type Building = { userId: string; own: DigestEntry[]; escalated: DigestEntry[] };
  const byUser = new Map<string, Building>();
  // UserIDs come from the roster, so one person is always spelled alike here.
  const digestOf = (userId: string) => {
    let digest = byUser.get(userId);
    if (!digest) byUser.set(userId, (digest = { userId, own: [], escalated: [] }));
    return digest;
  };
  // Items of alike cases share their owners and escalation lists: each list's digests are looked up once.
  const digestsOf = new Map<readonly unknown[], Building[]>();
  const digestsFor = <T>(list: readonly T[], userIdOf: (x: T) => string) => {
    let found = digestsOf.get(list);
    if (!found) digestsOf.set(list, (found = list.map((x) => digestOf(userIdOf(x)))));
    return found;
  };
  for (const item of sorted) {
    const ack = acknowledged.has(item.key);
    if (ack && item.doneWhenAcknowledged) continue;
    const timing = timingOf(item);
    if (!timing) continue;
    // Owners are listed once each by the sources, and escalation never reaches an owner: no line is doubled.
    // Every owner's line is the same entry (as every escalated one is).
    const own: DigestEntry = { item, timing };
    for (const digest of digestsFor(item.owners, (o) => o.userId)) digest.own.push(own);
    if (timing.kind !== 'overdue' || ack) continue;
    const escalated: DigestEntry = { item, timing, escalated: true };
    for (const digest of digestsFor(escalationRecipients(item, escalationLevel(timing.days, settings.escalateAfterDays), ladder), (u) => u)) digest.escalated.push(escalated);
  }
  return [...byUser.values()]
    .map(({ userId, own, escalated }) => ({ userId, date: today, entries: own.concat(escalated) }))
    .sort((a, b) => compare(a.userId, b.userId));
}

/** Plain code-unit order (not the locale's): dates and case numbers sort right, and fast over a county's entries. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function byDue(a: DeadlineItem, b: DeadlineItem): number {
  return compare(a.dueOn, b.dueOn) || compare(a.caseNumber ?? a.label ?? '', b.caseNumber ?? b.label ?? '') || compare(a.key, b.key);
}
