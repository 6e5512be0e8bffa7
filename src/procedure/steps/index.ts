import type { ActionType } from '../actions.js';
import { countyApprove, recordAssistancePlan, recordMeasureEntry, register, townshipApprove } from './decision-steps.js';
import { acceptEliminationProposal, holdInMonitoring, proposeElimination, recordHouseholdAgreement } from './elimination-steps.js';
import { acceptLead, markFastTrack, recordRelief, reject } from './lead-steps.js';
import { closeNotice, recordAppraisal, recordObjection, resolveObjection } from './notice-steps.js';
import type { Step } from './step.js';
import { recordCrossCheck, recordHomeVerification } from './verification-steps.js';

/** One handler per action type; the mapped type makes a missing handler a compile error. */
export const STEPS: { [T in ActionType]: Step<T> } = {
  acceptLead,
  markFastTrack,
  recordRelief,
  recordHomeVerification,
  recordCrossCheck,
  recordAppraisal,
  recordObjection,
  resolveObjection,
  closeNotice,
  townshipApprove,
  countyApprove,
  register,
  recordAssistancePlan,
  recordMeasureEntry,
  reject,
  proposeElimination,
  acceptEliminationProposal,
  recordHouseholdAgreement,
  holdInMonitoring,
};
