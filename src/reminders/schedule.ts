import type { Org, Role } from '../org/org.js';
import { CalendarYearMissingError, type WorkCalendar } from '../policy/calendar.js';
import { naturalDaysBetween, type IsoDate } from '../policy/dates.js';
import type { DeadlineItem } from './deadline-source.js';

/**
 * Where an item stands on a reminder day, in its own unit: `days` before its last day (0 = the day itself), or
 * `days` overdue.
 * @example { "kind": "before", "days": 3, "unit": "working" }
 */
export type Timing = { kind: 'before' | 'overdue'; days: number; unit: 'natural' | 'working' };

/**
 * Whether `item` is reminded on `today`: on each of `daysBefore` days before its last day, counted in its
 * unit (working days skip weekends and holidays and count 调休 make-up days), then every day (every working
 * day) while overdue. Working-day items are never reminded on a day off. A year the calendar lacks is
 * counted in natural days rather than not at all.
 */
export function timingOn(item: Pick<DeadlineItem, 'dueOn' | 'unit'>, today: IsoDate, daysBefore: readonly number[], calendar: WorkCalendar): Timing | undefined {
  try {
    return timingIn(item.dueOn, item.unit, today, daysBefore, calendar);
  } catch (err) {
    if (!(err instanceof CalendarYearMissingError) || item.unit === 'natural') throw err;
    return timingIn(item.dueOn, 'natural', today, daysBefore, calendar);
  }
}

function timingIn(dueOn: IsoDate, unit: 'natural' | 'working', today: IsoDate, daysBefore: readonly number[], calendar: WorkCalendar): Timing | undefined {
  if (today === dueOn) return daysBefore.includes(0) ? { kind: 'before', days: 0, unit } : undefined;
  if (unit === 'natural') {
    const left = naturalDaysBetween(today, dueOn);
    if (left < 0) return { kind: 'overdue', days: -left, unit };
    return daysBefore.includes(left) ? { kind: 'before', days: left, unit } : undefined;
  }
  if (!calendar.isWorkingDay(today)) return undefined;
  if (today > dueOn) return { kind: 'overdue', days: calendar.countWorkingDays(dueOn, today), unit };
  const left = calendar.countWorkingDays(today, dueOn);
  return daysBefore.includes(left) ? { kind: 'before', days: left, unit } : undefined;
}

/** How many rungs an item overdue by `days` has climbed: one more at each of `escalateAfterDays`. */
export function escalationLevel(days: number, escalateAfterDays: readonly number[]): number {
  let level = 0;
  for (const d of escalateAfterDays) if (days >= d) level++;
  return level;
}

/** The ladder escalation climbs: monitoring contact (a cadre) → village secretary → township → county. */
const RUNGS: readonly Role[] = ['cadre', 'villageSecretary', 'townshipReviewer', 'countyApprover'];

function rungOf(role: Role): number {
  const i = RUNGS.indexOf(role);
  return i < 0 ? RUNGS.length - 1 : i;
}

/** For an item, who it reaches at each level of escalation (see `escalationLadder`). */
export type Ladder = (item: Pick<DeadlineItem, 'owners' | 'area'>) => readonly string[][];

/**
 * Who an item reaches when it has climbed `level` rungs above the lowest of its owners: the staff of each rung
 * above that serve its area, an empty rung (a village without a secretary) skipped. Owners are not repeated.
 */
export function escalationRecipients(item: Pick<DeadlineItem, 'owners' | 'area'>, level: number, ladder: Ladder): readonly string[] {
  if (level <= 0 || item.owners.length === 0) return NONE;
  const levels = ladder(item);
  return levels[Math.min(level, levels.length) - 1] ?? NONE;
}

const NONE: readonly string[] = [];

/**
 * The escalation ladder of an org: for an item, the staff reached at level 1, 2, … (each level adds the next
 * non-empty rung above its owners). Remembered per owners list and area, which items of alike cases share.
 */
export function escalationLadder(org: Org): Ladder {
  const staffAt = staffLookup(org);
  const memo = new WeakMap<readonly unknown[], Map<string, string[][]>>();
  return (item) => {
    let byArea = memo.get(item.owners);
    const known = byArea?.get(item.area);
    if (known) return known;
    const owners = new Set(item.owners.map((o) => o.userId.toLowerCase()));
    const base = Math.min(...item.owners.map((o) => rungOf(o.role)));
    const levels: string[][] = [];
    let reached: string[] = [];
    for (let rung = base + 1; rung < RUNGS.length; rung++) {
      const staff = staffAt(item.area, RUNGS[rung]!).filter((u) => !owners.has(u.toLowerCase()));
      if (staff.length === 0) continue;
      reached = [...reached, ...staff];
      levels.push(reached);
    }
    if (!byArea) memo.set(item.owners, (byArea = new Map()));
    byArea.set(item.area, levels);
    return levels;
  };
}

/** `org.staffServing` as UserIDs, remembered per area and role (planning asks the same few many times). */
function staffLookup(org: Org): (area: string, role: Role) => string[] {
  const cache = new Map<string, string[]>();
  return (area, role) => {
    const key = `${area}|${role}`;
    let found = cache.get(key);
    if (!found) {
      found = org.staffServing(area, role).map((m) => m.userId);
      cache.set(key, found);
    }
    return found;
  };
}
