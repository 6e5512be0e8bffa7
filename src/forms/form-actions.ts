import type { CaseStepWord } from '../conversation/commands.js';
import type { ActionType } from '../procedure/actions.js';

/**
 * Procedure steps that need data, each filled in by chat through a flow in flows/ (a staff form), bound to
 * one case. Their cards carry one button, 开始填写; 我的待办 offers them by number too.
 * @example FORM_FLOWS.recordHomeVerification === 'home-verification'
 */
export const FORM_FLOWS: Readonly<Partial<Record<ActionType, string>>> = Object.freeze({
  markFastTrack: 'fast-track',
  recordRelief: 'relief',
  recordHomeVerification: 'home-verification', // in an elimination: 'elimination-verification' (form-defs.ts)
  recordObjection: 'objection',
  resolveObjection: 'objection-resolution',
  proposeElimination: 'elimination-proposal',
  recordHouseholdAgreement: 'household-signature',
  register: 'registration',
  recordAssistancePlan: 'assistance-plan',
  recordMeasureEntry: 'measure-entry',
});

export function formFlowOf(action: ActionType): string | undefined {
  return Object.hasOwn(FORM_FLOWS, action) ? FORM_FLOWS[action] : undefined;
}

/** The form each staff command starts on a case: 异议 / 先行救助 / 风险消除 <案件编号>. */
export const CASE_STEP_FORMS: Readonly<Record<CaseStepWord, ActionType>> = Object.freeze({
  objection: 'recordObjection',
  fastTrack: 'markFastTrack',
  elimination: 'proposeElimination',
});
