import type { WorkCalendar } from '../policy/calendar.js';
import type { IsoDate } from '../policy/dates.js';
import { limitDeadline } from '../policy/limits.js';
import type { PolicyProfile } from '../policy/profile.js';
import type { CaseSnapshot, LeadSource } from './case-snapshot.js';

// Every case deadline is computed here, from the case's dates and its profile's limits, so reminders
// and 我的待办 never recompute them differently.

type Deadlines = CaseSnapshot['deadlines'];

/** Deadlines that run from the day the lead was found. */
export function leadDeadlines(calendar: WorkCalendar, profile: PolicyProfile, leadFoundOn: IsoDate, source: LeadSource): Deadlines {
  const acceptance = profile.limits.declarationAcceptance;
  return {
    identification: limitDeadline(calendar, profile, leadFoundOn, profile.limits.identification),
    ...(source === 'selfDeclaration' && acceptance ? { declarationAcceptance: limitDeadline(calendar, profile, leadFoundOn, acceptance) } : {}),
  };
}

/** Deadlines that run from the identification date: plan the measures, enter them in the national system. */
export function identificationDeadlines(calendar: WorkCalendar, profile: PolicyProfile, identifiedOn: IsoDate): Pick<Deadlines, 'assistancePlan' | 'measureEntry'> {
  return {
    assistancePlan: limitDeadline(calendar, profile, identifiedOn, profile.limits.assistancePlan),
    measureEntry: limitDeadline(calendar, profile, identifiedOn, profile.limits.measureEntry),
  };
}

/** By when a refused household must be told why, where the profile sets a limit. */
export function rejectionDeadline(calendar: WorkCalendar, profile: PolicyProfile, rejectedOn: IsoDate): Pick<Deadlines, 'rejectionNotice'> {
  const limit = profile.limits.rejectionNotice;
  return limit ? { rejectionNotice: limitDeadline(calendar, profile, rejectedOn, limit) } : {};
}

/**
 * A public notice posted on `startsOn`: the profile's N days counted from the next day, so a 5-day notice
 * posted on 2026-03-02 ends on 2026-03-07 and may be closed from that day.
 */
export function noticePeriod(calendar: WorkCalendar, profile: PolicyProfile, startsOn: IsoDate): { startsOn: IsoDate; endsOn: IsoDate } {
  return { startsOn, endsOn: limitDeadline(calendar, profile, startsOn, profile.limits.publicNotice) };
}
