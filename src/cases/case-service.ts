import type { Logger } from 'pino';
import { DEFAULT_LOCALE } from '../i18n/i18n.js';
import type { Org } from '../org/org.js';
import { findProfile, type PolicyProfile, type WorkCalendar } from '../policy/index.js';
import type { ActionInput } from '../procedure/actions.js';
import { decide, type Decision } from '../procedure/decide.js';
import { refuse, type Refusal } from '../procedure/refusals.js';
import { handOver } from '../procedure/hand-over.js';
import { isOpenStage, STAGES } from '../procedure/stages.js';
import type { TransitionEvent } from '../procedure/transition-event.js';
import { messagesTo, type Outbox } from '../outbox/outbox-item.js';
import type { CaseAudit } from './case-audit.js';
import type { CaseMessages } from './case-messages.js';
import type { CaseRecord } from './case-record.js';
import type { CaseRepository } from './case-repository.js';
import { householdOutcome, type HouseholdOutcome } from './household-messages.js';

const OPEN_STAGES = STAGES.filter(isOpenStage);

/** A refused decision; `record` is the case as it stands, when there is one. */
export type CaseRefusal = (Refusal | { ok: false; reason: 'case.unknown'; detail?: Record<string, unknown> }) & { record?: CaseRecord };

/** An applied decision: the stored case (audit head included) and its event; or why not. */
export type CaseDecision = { ok: true; record: CaseRecord; event: TransitionEvent } | CaseRefusal;

export interface DecisionRequest {
  caseId: string;
  /** The action with the case version it was made on (a card carries it in its task id). */
  action: ActionInput;
  userId: string;
  now: Date;
  /** The inbound message that asked for it; the same request again gets the same answer (see TransitionEvent.requestId). */
  requestId?: string;
}

/** Who did what, for the write and the refusal log. */
interface Actor {
  actionType: string;
  userId: string;
}

export interface CaseServiceDeps {
  repo: CaseRepository;
  caseAudit: CaseAudit;
  org: Org;
  profiles: readonly PolicyProfile[];
  calendar: WorkCalendar;
  messages: CaseMessages;
  /** Reaches the household (its declarant's kf address), or the staff member who entered its lead, with each outcome. */
  outbox: Outbox;
  logger: Logger;
  /** Told of every step taken (after it is stored), e.g. to send the next step's cards; must be idempotent. `action` is the step taken. */
  onStep?: (record: CaseRecord, actorUserId: string | undefined, now: Date, action?: string) => Promise<void>;
}

/**
 * Applies staff decisions to stored cases: the pure `decide` under the profile the case was opened under,
 * a write that only lands on the version the decision was made on (the loser of a race is told the case
 * has moved on), the step into the audit trail, and what a closing step means for the household.
 */
export class CaseService {
  constructor(private readonly deps: CaseServiceDeps) {}

  async decide(request: DecisionRequest): Promise<CaseDecision> {
    const { repo, caseAudit, logger } = this.deps;
    const loaded = await repo.get(request.caseId);
    const who: Actor = { actionType: request.action.type, userId: request.userId };
    if (!loaded) return this.refused({ ok: false, reason: 'case.unknown' }, who, undefined);
    // A step of an earlier decision may still be on its way to the audit trail: it goes first.
    const record = await caseAudit.settle(loaded);
    const replay = await this.replayOf(record, request);
    if (replay) {
      // What the step owes the household may not have been recorded before the crash.
      if (replay.ok) await this.afterStep(replay.record, replay.event);
      if (replay.ok) await this.deps.onStep?.(replay.record, request.userId, request.now, replay.event.action);
      return replay;
    }
    const judged = this.judge(record, request);
    if (!judged.ok) return this.refused(judged, who, record);
    const decision = request.requestId ? { ...judged, event: { ...judged.event, requestId: request.requestId } } : judged;

    const written = await this.write(record, decision, { actionType: request.action.type, userId: request.userId, now: request.now });
    if (!written.ok) return written;
    const stored = written.record;
    const { event } = decision;
    logger.info({ caseNumber: stored.caseNumber, action: event.action, from: event.from, to: event.to, version: event.version, userId: request.userId, role: event.actor.role }, 'case decision applied');
    await this.afterStep(stored, event);
    await this.deps.onStep?.(stored, request.userId, request.now, event.action);
    return { ok: true, record: stored, event };
  }

  /**
   * The step this same request already took (it came back after a crash between the case write and the
   * answer): the case's last step, made by this request on the version it names.
   */
  private async replayOf(record: CaseRecord, request: DecisionRequest): Promise<CaseDecision | undefined> {
    if (!request.requestId || record.procedure.version !== (request.action as { caseVersion?: number }).caseVersion! + 1) return undefined;
    const last = await this.deps.caseAudit.lastEvent(record);
    if (last?.requestId !== request.requestId || last.actor.userId.toLowerCase() !== request.userId.toLowerCase()) return undefined;
    return { ok: true, record, event: last };
  }

  /**
   * A cadre leaves or moves: every open case that names them (monitoring contact or assignee) in the villages
   * they serve is handed to `toUserId`, each case with its own version check and audit step. Cases that
   * cannot be handed over are listed with the reason, so none is silently left behind.
   */
  async handOverAll(request: { fromUserId: string; toUserId: string; userId: string; now: Date }): Promise<{ moved: string[]; refused: { caseNumber: string; reason: string }[] }> {
    const { repo, org } = this.deps;
    const leaving = org.findStaff(request.fromUserId);
    const villages = (leaving?.areas ?? []).flatMap((a) => (org.area(a)?.level === 'village' ? [a] : org.descendants(a, 'village').map((v) => v.code)));
    const named = (ids: string[]) => ids.some((id) => id.toLowerCase() === request.fromUserId.toLowerCase());
    const open = (await repo.inVillages(villages, OPEN_STAGES)).filter((r) => named(r.procedure.monitoringContacts) || named(r.procedure.assignees));
    const moved: string[] = [];
    const refused: { caseNumber: string; reason: string }[] = [];
    for (const loaded of open) {
      const record = await this.deps.caseAudit.settle(loaded);
      const decision = handOver({ case: record.procedure, fromUserId: request.fromUserId, toUserId: request.toUserId, actor: { userId: request.userId }, org, now: request.now });
      const written = decision.ok
        ? await this.write(record, decision, { actionType: 'handOver', userId: request.userId, now: request.now })
        : this.refused(decision, { actionType: 'handOver', userId: request.userId }, record);
      if (written.ok) {
        moved.push(record.caseNumber);
        await this.deps.onStep?.(written.record, request.userId, request.now, 'handOver');
      }
      else refused.push({ caseNumber: record.caseNumber, reason: written.reason });
    }
    this.deps.logger.info({ fromUserId: request.fromUserId, toUserId: request.toUserId, moved: moved.length, refused: refused.length }, 'cases handed over');
    return { moved, refused };
  }

  /** Stores a decided step only on the version it was decided on, then settles it into the audit trail. */
  private async write(record: CaseRecord, decision: Extract<Decision, { ok: true }>, request: Actor & { now: Date }): Promise<{ ok: true; record: CaseRecord } | CaseRefusal> {
    const { repo, caseAudit } = this.deps;
    const next: CaseRecord = caseAudit.withPending({ ...record, procedure: decision.case, updatedAt: request.now.toISOString() }, decision.event);
    if (!(await repo.replaceWhere(next, { 'procedure.version': record.procedure.version }))) {
      const current = (await repo.get(record._id)) ?? record;
      return this.refused(refuse('case.movedOn', { caseVersion: current.procedure.version, stage: current.procedure.stage }), request, current);
    }
    return { ok: true, record: await caseAudit.settle(next) };
  }

  /**
   * What `decide` would answer now, with nothing stored or logged: lets a card ask for a reason only when
   * the step could be taken at all.
   */
  async preview(request: DecisionRequest): Promise<CaseDecision> {
    const record = await this.deps.repo.get(request.caseId);
    if (!record) return { ok: false, reason: 'case.unknown' };
    const decision = this.judge(record, request);
    return decision.ok ? { ok: true, record: { ...record, procedure: decision.case }, event: decision.event } : { ...decision, record };
  }

  private judge(record: CaseRecord, request: DecisionRequest): Decision {
    return decide({
      case: record.procedure,
      action: request.action,
      actor: { userId: request.userId },
      profile: this.profileOf(record),
      org: this.deps.org,
      calendar: this.deps.calendar,
      now: request.now,
    });
  }

  /** The profile the case was opened under; never selected again, so a case keeps its rules. */
  profileOf(record: CaseRecord): PolicyProfile {
    const profile = findProfile(this.deps.profiles, record.procedure.profileKey);
    if (!profile) throw new Error(`case ${record.caseNumber}: profile ${record.procedure.profileKey} is not loaded`);
    return profile;
  }

  /** A closed case frees its household for a new declaration; an outcome is told to the household. */
  private async afterStep(record: CaseRecord, event: TransitionEvent): Promise<void> {
    const { repo } = this.deps;
    const key = record.household.idNumberKey;
    if (!isOpenStage(record.procedure.stage) && (await repo.openHouseholds.get(key))?.caseId === record._id) await repo.openHouseholds.delete(key);
    const outcome = householdOutcome(event);
    if (outcome) await this.tellHousehold(record, outcome);
  }

  /**
   * The household hears the outcome on 微信客服, in the language it declared in. A household whose lead a staff
   * member entered (上报线索, 代申报) has no 微信客服 address here: that staff member (or, when they have left,
   * the village's cadres) is asked to tell it in person or by phone. Ids are fixed per case version: a replay
   * sends nothing twice.
   */
  private async tellHousehold(record: CaseRecord, outcome: HouseholdOutcome): Promise<void> {
    const { messages, outbox, org } = this.deps;
    const declaration = record.declaration;
    if (!declaration) return;
    const id = `case:${record._id}:v${record.procedure.version}`;
    const meta = { caseId: record._id };
    if (declaration.declarant.channel === 'kf') {
      const message = messages.household.outcome(declaration.locale ?? DEFAULT_LOCALE, record, outcome);
      await outbox.enqueue(messagesTo(`${id}:household`, 'householdOutcome', declaration.declarant, [message], meta));
      return;
    }
    const entered = declaration.declaredBy ? org.findStaff(declaration.declaredBy) : undefined;
    const staff = entered ? [entered] : org.staffServing(record.area.village, 'cadre');
    const notice = messages.tellHousehold(DEFAULT_LOCALE, record, outcome);
    for (const member of staff) {
      await outbox.enqueue(messagesTo(`${id}:tell:${member.userId}`, 'notice', { channel: 'app', userId: member.userId }, [notice], meta));
    }
  }

  private refused(refusal: Refusal | CaseRefusal, request: Actor, record: CaseRecord | undefined): CaseRefusal {
    // Reason code, case number and user only: the detail may quote what staff typed.
    this.deps.logger.info(
      { reason: refusal.reason, caseNumber: record?.caseNumber ?? null, action: request.actionType, userId: request.userId },
      'case decision refused',
    );
    return record ? { ...refusal, record } : refusal;
  }
}
