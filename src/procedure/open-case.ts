import type { Org, Role } from '../org/org.js';
import type { WorkCalendar } from '../policy/calendar.js';
import { type IsoDate, shanghaiDate } from '../policy/dates.js';
import { type PolicyProfile, profileKey } from '../policy/profile.js';
import type { CaseSnapshot, LeadSource } from './case-snapshot.js';
import { leadDeadlines } from './deadlines.js';
import type { Decision } from './decide.js';
import { actingRole } from './permissions.js';
import { refuse } from './refusals.js';
import { INITIAL_STAGE, isOpenStage } from './stages.js';
import type { EventActor, TransitionEvent } from './transition-event.js';

/** Staff who may record a lead: anyone who works on cases (a department alert comes in through the county). */
export const LEAD_RECORDERS: readonly Role[] = ['cadre', 'villageSecretary', 'townshipReviewer', 'countyApprover'];

export interface OpenCaseInput {
  caseId: string;
  villageCode: string;
  source: LeadSource;
  /** Defaults to today; a cadre may record a lead found on an earlier day (the 15-day clock starts then). */
  leadFoundOn?: IsoDate;
  /** A staff member, or the system for a self-declaration by chat or an imported department alert. */
  openedBy: { userId: string } | { system: string };
  /** The staff member who entered the lead for the household (上报线索, 代申报): kept in the opening step's data. */
  declaredBy?: string;
  /**
   * Re-identification: the household's closed case (eliminated, or rejected and asking again). The new case
   * points back to it and carries its household facts; the old case and its audit trail stay as they are.
   */
  previous?: CaseSnapshot;
  /** The profile in force for the village today (`selectProfile`). */
  profile: PolicyProfile;
  org: Org;
  calendar: WorkCalendar;
  now: Date;
}

/** A new case at `lead`, version 1, with its deadlines, and the event that opened it. */
export function openCase(input: OpenCaseInput): Decision {
  const { profile, org, calendar, now, previous } = input;
  const today = shanghaiDate(now);
  const leadFoundOn = input.leadFoundOn ?? today;
  if (org.area(input.villageCode)?.level !== 'village') return refuse('action.invalid', { issues: [{ path: 'villageCode', message: 'not a village of the org' }] });
  if (leadFoundOn > today) return refuse('action.invalid', { issues: [{ path: 'leadFoundOn', message: 'is in the future' }] });
  if (previous && isOpenStage(previous.stage)) return refuse('case.stillOpen', { caseId: previous.id, stage: previous.stage });

  let actor: EventActor;
  if ('system' in input.openedBy) actor = { userId: input.openedBy.system, role: 'system' };
  else {
    const acting = actingRole(org, input.openedBy.userId, input.villageCode, LEAD_RECORDERS);
    if (!acting.ok) return acting;
    actor = { userId: input.openedBy.userId, role: acting.role, ...(acting.standsInFor ? { standsInFor: acting.standsInFor } : {}) };
  }

  const opened: CaseSnapshot = {
    id: input.caseId,
    version: 1,
    stage: INITIAL_STAGE,
    villageCode: input.villageCode,
    source: input.source,
    profileKey: profileKey(profile),
    ...(previous ? { previousCaseId: previous.id } : {}),
    leadFoundOn,
    fastTrack: null,
    householdFlags: previous ? previous.householdFlags : { registers: [], noLabour: false },
    netIncomePerCapita: previous ? previous.netIncomePerCapita : {},
    crossCheck: { status: 'pending' },
    notice: null,
    objections: [],
    assignees: [],
    monitoringContacts: [],
    identifiedOn: null,
    assistancePlan: null,
    elimination: null,
    eliminatedOn: null,
    rejection: null,
    deadlines: leadDeadlines(calendar, profile, leadFoundOn, input.source),
  };
  const event: TransitionEvent = {
    caseId: opened.id,
    action: 'openCase',
    from: null,
    to: opened.stage,
    version: 1,
    actor,
    at: now.toISOString(),
    profileKey: opened.profileKey,
    data: {
      source: opened.source,
      villageCode: opened.villageCode,
      leadFoundOn,
      ...(previous ? { previousCaseId: previous.id } : {}),
      ...(input.declaredBy ? { declaredBy: input.declaredBy } : {}),
    },
  };
  return { ok: true, case: opened, event };
}
