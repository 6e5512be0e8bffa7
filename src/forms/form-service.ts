import type { Logger } from 'pino';
import type { CaseRecord } from '../cases/case-record.js';
import type { CaseRepository } from '../cases/case-repository.js';
import type { CaseDecision, CaseService } from '../cases/case-service.js';
import type { Answers } from '../engine/events.js';
import type { Locale } from '../i18n/i18n.js';
import type { Org, StaffMember } from '../org/org.js';
import { shanghaiDate } from '../policy/dates.js';
import type { ActionType } from '../procedure/actions.js';
import { findMove } from '../procedure/moves.js';
import { pendingFor } from '../procedure/pending.js';
import { actingRole } from '../procedure/permissions.js';
import type { StaffTexts } from '../conversation/staff-texts.js';
import { bindingAnswers, formFor, str, type FormContext } from './form-defs.js';

/** A form ready to start: its flow, the slot it lives in, and what it knows before the first question. */
export type PreparedForm =
  | { ok: true; flowId: string; slotId: string; answers: Answers; record: CaseRecord; /** 2026年12月7日（识别时限15天） */ due?: string }
  | { ok: false; message: string };

/** What a submitted form led to: the words for the staff member, and whether the form stays open (to fix and send again). */
export interface FormOutcome {
  text: string;
  keepOpen: boolean;
  record?: CaseRecord;
}

/** The conversation slot of a form: one per case and step, so two forms never mix. */
export function formSlotId(caseId: string, action: ActionType): string {
  return `form:${caseId}:${action}`;
}

/**
 * Staff forms: a procedure step that needs data is filled in by chat, in a flow bound to one case and the
 * version it was started on. Nothing is written until the form's last confirmation, and then only through
 * the case service (version check, role and area, audit trail), exactly as a card's button would.
 */
export class FormService {
  constructor(private readonly deps: { repo: CaseRepository; cases: CaseService; org: Org; staff: StaffTexts; logger: Logger }) {}

  /** Whether `member` may fill in `action` on the case now; the form's first answers when so, the reason in words when not. */
  async prepare(member: StaffMember, caseId: string, action: ActionType, locale: Locale, now: Date, version?: number): Promise<PreparedForm> {
    const { repo, cases, org, staff } = this.deps;
    const record = await repo.get(caseId);
    if (!record) return { ok: false, message: staff.t(locale, 'form.unknownCase') };
    if (version !== undefined && record.procedure.version !== version) return { ok: false, message: staff.t(locale, 'movedOn', { caseNumber: record.caseNumber }) };
    const profile = cases.profileOf(record);
    const move = findMove(profile, record.procedure.stage, action);
    const form = formFor(action, record.procedure.stage);
    if (!move || !form) return { ok: false, message: staff.t(locale, 'movedOn', { caseNumber: record.caseNumber }) };
    const acting = actingRole(org, member.userId, record.procedure.villageCode, move.roles);
    if (!acting.ok) return { ok: false, message: staff.t(locale, 'refused', { caseNumber: record.caseNumber, reason: staff.refusal(locale, acting) }) };
    const ctx: FormContext = { record, member, org, today: shanghaiDate(now) };
    const pending = pendingFor(record.procedure, member.userId, org, profile).find((p) => p.action === action);
    const due = pending ? staff.due(locale, pending) : undefined;
    const answers = { ...form.prefill(ctx), ...bindingAnswers(record, action, member) };
    return { ok: true, flowId: form.flowId, slotId: formSlotId(caseId, action), answers, record, ...(due ? { due } : {}) };
  }

  /** The form's answers become the step, on the version the form was started on. */
  async submit(member: StaffMember, answers: Answers, locale: Locale, now: Date, requestId: string): Promise<FormOutcome> {
    const { repo, cases, org, staff } = this.deps;
    const caseId = str(answers.caseId);
    const action = str(answers.formAction) as ActionType | undefined;
    const record = caseId ? await repo.get(caseId) : null;
    if (!record || !action) return { text: staff.t(locale, 'form.unknownCase'), keepOpen: false };
    const form = formFor(action, record.procedure.stage);
    const version = typeof answers.caseVersion === 'number' ? answers.caseVersion : 0;
    if (!form || record.procedure.version !== version) return { text: this.doneByOther(locale, record), keepOpen: false };
    const payload = form.toAction(answers, { record, member, org, today: shanghaiDate(now) });
    const decision: CaseDecision = await cases.decide({ caseId: record._id, action: { ...payload, caseVersion: version }, userId: member.userId, now, requestId });
    if (decision.ok) return { text: this.recorded(locale, decision.record, action), keepOpen: false, record: decision.record };
    if (decision.reason === 'case.movedOn') return { text: this.doneByOther(locale, decision.record ?? record), keepOpen: false };
    // Anything else the rules refuse can be fixed in the form: it stays at its review.
    return { text: staff.t(locale, 'form.refused', { caseNumber: record.caseNumber, reason: staff.refusal(locale, decision) }), keepOpen: true };
  }

  private recorded(locale: Locale, record: CaseRecord, action: ActionType): string {
    const { staff } = this.deps;
    const text = staff.t(locale, 'form.recorded', {
      caseNumber: record.caseNumber,
      head: record.household.head,
      what: staff.action(locale, action, record.procedure.stage),
      stage: staff.stage(locale, record.procedure.stage),
    });
    // A refusal goes to a household that declared by chat: the staff member is told it may not reach them.
    return record.procedure.stage === 'rejected' && record.declaration ? `${text}\n${staff.t(locale, 'householdTold')}` : text;
  }

  private doneByOther(locale: Locale, record: CaseRecord): string {
    return this.deps.staff.t(locale, 'form.doneByOther', { caseNumber: record.caseNumber, stage: this.deps.staff.stage(locale, record.procedure.stage) });
  }
}
