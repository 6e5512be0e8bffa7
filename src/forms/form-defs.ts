import type { CaseRecord } from '../cases/case-record.js';
import type { Answers, AnswerValue } from '../engine/events.js';
import type { Org, StaffMember } from '../org/org.js';
import type { IsoDate } from '../policy/dates.js';
import type { PolicyProfile } from '../policy/profile.js';
import type { ActionInput, ActionType } from '../procedure/actions.js';
import type { Stage } from '../procedure/stages.js';
import { OTHER_VISITORS_ID } from '../conversation/area-options.js';
import { eliminationProposalForm, eliminationVerificationForm, householdSignatureForm } from './elimination-forms.js';
import { fastTrackForm, reliefForm } from './fast-track-forms.js';
import { homeVerificationForm } from './home-verification-form.js';
import { objectionForm, objectionResolutionForm } from './objection-forms.js';
import { assistancePlanForm, measureEntryForm, registrationForm } from './plan-forms.js';

/** What a form sees when it starts and when it is submitted. */
export interface FormContext {
  record: CaseRecord;
  member: StaffMember;
  org: Org;
  /** The profile the case was opened under. */
  profile: PolicyProfile;
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
  /**
   * A step like the one the form will take, put to the procedure before the first question: a refusal no answer
   * can fix (the notice has ended, no income line for the year, relief first) is said at once, not after the form.
   */
  probe?(ctx: FormContext): FormPayload;
  /** What the person filling it in must see first (the objection to decide), as a staff text key and its variables. */
  brief?(ctx: FormContext): { key: string; vars: Record<string, string | number> } | undefined;
}

/** Forms by the step they take and the stage they take it in (the elimination visit has its own form). */
export function formFor(action: ActionType, stage: Stage): FormDef | undefined {
  // A switch, not a table: the form files import this one, so a table built at load time could meet them unset.
  switch (action) {
    case 'recordHomeVerification':
      if (stage === 'homeVerification') return homeVerificationForm;
      return stage === 'eliminationHomeVerification' ? eliminationVerificationForm : undefined;
    case 'markFastTrack':
      return fastTrackForm;
    case 'recordRelief':
      return reliefForm;
    case 'recordObjection':
      return objectionForm;
    case 'resolveObjection':
      return objectionResolutionForm;
    case 'register':
      return registrationForm;
    case 'recordAssistancePlan':
      return assistancePlanForm;
    case 'recordMeasureEntry':
      return measureEntryForm;
    case 'proposeElimination':
      return eliminationProposalForm;
    case 'recordHouseholdAgreement':
      return householdSignatureForm;
    default:
      return undefined;
  }
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
/**
 * Who went on a visit besides the one filling the form: the staff chosen (by name), then anyone typed by name
 * (`otherVisitors`, "周会计、驻村队员刘明"), one entry each.
 */
export function visitorsOf(answers: Answers, org: Org): string[] {
  const staff = list(answers.coVisitors).filter((id) => id !== OTHER_VISITORS_ID).map((id) => org.findStaff(id)?.name ?? id);
  const typed = list(answers.coVisitors).includes(OTHER_VISITORS_ID) ? (str(answers.otherVisitors) ?? '') : '';
  return [...staff, ...typed.split(/[、,，;；/\n]+/u).map((n) => n.trim()).filter(Boolean)];
}

/** A short note typed as 无/没有/none means no note. */
export function noteOf(v: AnswerValue | undefined): string | undefined {
  const text = str(v)?.trim();
  return text && !['无', '没有', '无备注', '没', 'none', 'no', '-'].includes(text.toLowerCase()) ? text : undefined;
}
