import type { CaseRecord } from '../cases/case-record.js';
import type { Answers, AnswerValue } from '../engine/events.js';
import type { Org, StaffMember } from '../org/org.js';
import type { IsoDate } from '../policy/dates.js';
import type { ActionInput, ActionType } from '../procedure/actions.js';
import type { Stage } from '../procedure/stages.js';
import { homeVerificationForm } from './home-verification-form.js';
import { assistancePlanForm, measureEntryForm, registrationForm } from './plan-forms.js';

/** What a form sees when it starts and when it is submitted. */
export interface FormContext {
  record: CaseRecord;
  member: StaffMember;
  org: Org;
  today: IsoDate;
}

/** A procedure step without the case version (the form keeps the version it was started on). */
export type FormPayload = ActionInput extends infer A ? (A extends unknown ? Omit<A, 'caseVersion'> : never) : never;

/**
 * A staff form: the flow it runs, what it knows before the first question (the case's facts, the household's
 * declared answers to confirm), and how its answers become the procedure step.
 */
export interface FormDef {
  flowId: string;
  prefill(ctx: FormContext): Answers;
  toAction(answers: Answers, ctx: FormContext): FormPayload;
}

/** Forms by the step they take and the stage they take it in (the elimination visit has its own form). */
export function formFor(action: ActionType, stage: Stage): FormDef | undefined {
  if (action === 'recordHomeVerification' && stage === 'homeVerification') return homeVerificationForm;
  if (action === 'register') return registrationForm;
  if (action === 'recordAssistancePlan') return assistancePlanForm;
  if (action === 'recordMeasureEntry') return measureEntryForm;
  return undefined;
}

/** Answers every form starts with: which case, on which version, for which step (not asked, never shown). */
export function bindingAnswers(record: CaseRecord, action: ActionType, member: StaffMember): Answers {
  return {
    caseId: record._id,
    caseVersion: record.procedure.version,
    caseNumber: record.caseNumber,
    caseVillage: record.procedure.villageCode,
    caseLeadFoundOn: record.procedure.leadFoundOn,
    caseProfile: record.procedure.profileKey,
    formAction: action,
    actorUserId: member.userId,
  };
}

export const str = (v: AnswerValue | undefined): string | undefined => (typeof v === 'string' ? v : undefined);
export const list = (v: AnswerValue | undefined): string[] => (Array.isArray(v) ? v : []);
export const num = (v: AnswerValue | undefined): number | undefined => (typeof v === 'number' ? v : undefined);
/** A short note typed as 无/没有/none means no note. */
export function noteOf(v: AnswerValue | undefined): string | undefined {
  const text = str(v)?.trim();
  return text && !['无', '没有', '无备注', '没', 'none', 'no', '-'].includes(text.toLowerCase()) ? text : undefined;
}
