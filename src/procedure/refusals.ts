/**
 * Why a decision was refused. Business refusals are data, never exceptions; each code names its own cause,
 * and `detail` carries what a message to the user needs (dates, amounts, allowed roles).
 */
export const REFUSAL_REASONS = [
  'case.movedOn', // the decision was made on an older version of the case; reload it
  'case.stillOpen', // a new case for a household whose previous case is not closed
  'action.invalid', // the action's data does not match its schema (detail.issues)
  'action.notAllowedInStage', // this action is not a step of the case's stage under its profile
  'actor.unknown', // the user is not on the staff roster
  'actor.roleNotAllowed', // none of the user's roles may take this action (detail.allowedRoles)
  'actor.outsideArea', // the user holds a suitable role, but not for the household's village
  'staff.notEligible', // named monitoring contacts or assignees are not cadres of the village (detail.userIds)
  'fastTrack.alreadyMarked',
  'fastTrack.notMarked', // relief recorded on a case that is not on the fast track
  'fastTrack.reliefFirst', // fast track: relief is recorded before the procedure goes on
  'fastTrack.reliefAlreadyRecorded',
  'fastTrack.reliefDateInFuture', // the day the relief was given is after today (detail.givenOn)
  'fastTrack.reliefBeforeLead', // the day the relief was given is before the lead was found (detail.givenOn, detail.leadFoundOn)
  'homeVerification.teamTooSmall', // the home visit needs two or more people
  'homeVerification.commitmentMissing', // the household has not signed the commitment and authorization
  'homeVerification.dateInFuture', // the visit date is after today (detail.visitedOn)
  'homeVerification.beforeLead', // the visit date is before the lead was found (detail.visitedOn, detail.leadFoundOn)
  'homeVerification.reasonMissing', // a visit that finds no risk must say why (the household is told)
  'crossCheck.pending', // the township cannot decide before the data cross-check result is recorded or skipped
  'crossCheck.notPending', // the cross-check is already recorded or skipped by rule
  'notice.notEnded', // the public notice runs until detail.endsOn
  'notice.ended', // objections are taken only while the notice runs
  'notice.objectionOpen', // an objection must be resolved before the notice closes
  'objection.unknown',
  'objection.alreadyResolved',
  'measureEntry.noPlan', // no assistance plan to enter yet
  'measureEntry.alreadyEntered', // the plan was entered on detail.enteredOn
  'measureEntry.dateInFuture', // the entry date is after today
  'measureEntry.beforePlan', // the entry date is before the plan was made (detail.plannedOn)
  'elimination.noIncomeThreshold', // the profile has no income line for the year (detail.file, detail.setting), so income cannot be judged
  'elimination.incomeMissing', // no per-capita income for the year: at the elimination visit, or with the proposal where there is no visit
  'elimination.incomeBelowLine', // the year's income is below the year's line
  'elimination.noLabourHold', // no labour capacity: held in monitoring
  'elimination.tooSoonByAssistance', // elimination by assistance before detail.earliestMonth
  'elimination.holdReasonMissing', // the elimination visit found the guarantees or the risks not stably settled, without saying why
  'householdAgreement.dateInFuture', // the household's signature is dated after today (detail.signedOn)
  'householdAgreement.beforeProposal', // the signature is dated before the elimination was proposed (detail.signedOn, detail.proposedOn)
  'handOver.sameUser',
  'handOver.notAssigned', // the departing user is neither a monitoring contact nor an assignee of the case
  'handOver.successorNotEligible', // the successor is not a cadre of the household's village
] as const;

export type RefusalReason = (typeof REFUSAL_REASONS)[number];

/** A refused decision. @example { "ok": false, "reason": "notice.notEnded", "detail": { "endsOn": "2026-03-07" } } */
export interface Refusal {
  ok: false;
  reason: RefusalReason;
  detail?: Record<string, unknown>;
}

export function refuse(reason: RefusalReason, detail?: Record<string, unknown>): Refusal {
  return detail === undefined ? { ok: false, reason } : { ok: false, reason, detail };
}
