import type { Org } from '../org/org.js';
import type { WorkCalendar } from '../policy/calendar.js';
import type { IsoDate } from '../policy/dates.js';
import type { DeadlineItem } from './deadline-source.js';
import type { ReminderSettings } from './reminder-settings.js';
import { escalationLevel, escalationRecipients, staffLookup, timingOn, type Timing } from './schedule.js';

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
  const staffAt = staffLookup(ctx.org);
  const byUser = new Map<string, { userId: string; entries: Map<string, DigestEntry> }>();
  const put = (userId: string, entry: DigestEntry) => {
    const id = userId.toLowerCase();
    let digest = byUser.get(id);
    if (!digest) byUser.set(id, (digest = { userId, entries: new Map() }));
    const had = digest.entries.get(entry.item.key);
    if (!had || (had.escalated && !entry.escalated)) digest.entries.set(entry.item.key, entry);
  };
  for (const item of items) {
    const ack = acknowledged.has(item.key);
    if (ack && item.doneWhenAcknowledged) continue;
    const timing = timingOn(item, today, settings.daysBefore, calendar);
    if (!timing) continue;
    for (const owner of item.owners) put(owner.userId, { item, timing });
    if (timing.kind !== 'overdue' || ack) continue;
    for (const userId of escalationRecipients(item, escalationLevel(timing.days, settings.escalateAfterDays), staffAt)) put(userId, { item, timing, escalated: true });
  }
  return [...byUser.values()]
    .map(({ userId, entries }) => ({ userId, date: today, entries: [...entries.values()].sort(byDue) }))
    .sort((a, b) => a.userId.localeCompare(b.userId));
}

function byDue(a: DigestEntry, b: DigestEntry): number {
  return (
    Number(Boolean(a.escalated)) - Number(Boolean(b.escalated)) ||
    a.item.dueOn.localeCompare(b.item.dueOn) ||
    (a.item.caseNumber ?? a.item.label ?? '').localeCompare(b.item.caseNumber ?? b.item.label ?? '') ||
    a.item.key.localeCompare(b.item.key)
  );
}
