import type { WorkCalendar } from './calendar.js';
import type { IsoDate } from './dates.js';
import type { Limit, PolicyProfile } from './profile.js';

/**
 * Last day (inclusive) of one of a profile's limits, counted from the day after `start`, in the limit's
 * own unit and with the profile's rule for deadlines falling on a day off.
 * Example: `limitDeadline(cal, hunan, leadFoundOn, hunan.limits.identification)`.
 */
export function limitDeadline(calendar: WorkCalendar, profile: PolicyProfile, start: IsoDate, limit: Limit): IsoDate {
  return calendar.deadline(start, limit.amount, limit.unit, profile.deadlineOnNonWorkingDay);
}

/** Due date of the monthly check report for a month written 'YYYY-MM' (the profile's report day, then its day-off rule). */
export function monthlyReportDue(calendar: WorkCalendar, profile: PolicyProfile, yearMonth: string): IsoDate {
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(yearMonth)) throw new RangeError(`not a month written YYYY-MM: "${yearMonth}"`);
  const day = `${yearMonth}-${String(profile.monthlyReportDay).padStart(2, '0')}`;
  return calendar.deadline(day, 0, 'natural', profile.deadlineOnNonWorkingDay);
}
