import type { ActionType } from '../procedure/actions.js';

/**
 * Procedure steps that need data, each filled in by chat through a flow in flows/ (a staff form), bound to
 * one case. Their cards carry one button, 开始填写; 我的待办 offers them by number too.
 * @example FORM_FLOWS.recordHomeVerification === 'home-verification'
 */
export const FORM_FLOWS: Readonly<Partial<Record<ActionType, string>>> = Object.freeze({
  recordHomeVerification: 'home-verification',
  register: 'registration',
  recordAssistancePlan: 'assistance-plan',
  recordMeasureEntry: 'measure-entry',
});

export function formFlowOf(action: ActionType): string | undefined {
  return Object.hasOwn(FORM_FLOWS, action) ? FORM_FLOWS[action] : undefined;
}
