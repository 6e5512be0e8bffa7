import type { Logger } from 'pino';
import type { CaseRecord } from '../cases/case-record.js';
import type { CaseRepository } from '../cases/case-repository.js';
import type { CaseDecision, CaseService } from '../cases/case-service.js';
import type { CardClick, Outbound } from '../channel/messages.js';
import { formatDate, formatMonthDayTime } from '../i18n/format-date.js';
import type { Locale, Texts } from '../i18n/i18n.js';
import type { Org, StaffMember } from '../org/org.js';
import { errorSummary } from '../shared/background-work.js';
import type { HouseholdRoute } from '../outbox/outbox-item.js';
import type { ReminderCardActions } from '../reminders/reminder-cards.js';
import type { CardUpdate } from '../wecom/api.js';
import { CARD_CHOICES, CARD_DECISIONS, parseTaskId, type ActionPayload, type CardChoice, type CardTask } from './decision-cards.js';
import { isReasonSlot, reasonSlotId, type PersonState, type ReasonSlot } from './person-state.js';
import type { StaffTexts } from './staff-texts.js';

/** Updates a card already sent (WeCom `update_template_card`); throws when WeCom refuses. */
export type UpdateCard = (update: CardUpdate) => Promise<void>;

/** One staff turn: who, their conversation state (changed in place), and what to answer them. */
export interface StaffTurn {
  member: StaffMember;
  state: PersonState;
  locale: Locale;
  now: Date;
  out: Outbound[];
  /** The inbound message (click or text) this turn answers: a retried one is recognised by the case service. */
  requestId: string;
}

/** A card being decided: its task, the case as loaded, the button and the click's single-use update code. */
interface Pressed {
  task: CardTask;
  record: CaseRecord;
  choice: CardChoice;
  responseCode: string;
}

/** How a case's household message is reaching the household, and through whom when relayed (the outbox knows). */
export type HouseholdRouteOf = (caseId: string) => Promise<{ route: HouseholdRoute; contacts: string[] } | undefined>;

/** The decision cards of some of a staff member's pending steps (StaffTodo.cardsFor). */
export type CardsFor = (member: StaffMember, locale: Locale, now: Date, caseIds: string[]) => Promise<Outbound[]>;

/** Stands in for the reason when checking, before asking for it, that the step could be taken at all. */
const REASON_TO_COME = '…';

/**
 * Staff decisions by card: a click applies the step (or asks for a reason first), the card is greyed out
 * with who decided and when, and the clicker is told the outcome in plain words.
 */
export class StaffDecisions {
  constructor(
    private readonly deps: {
      cases: CaseService;
      repo: CaseRepository;
      org: Org;
      staff: StaffTexts;
      texts: Texts;
      updateCard: UpdateCard;
      logger: Logger;
      /** Which way a household was told (the outbox's record); without it the confirmation says 微信客服 was tried. */
      householdRoute?: HouseholdRouteOf;
      /** The buttons of reminder cards (已知晓 / 去办理). */
      reminders?: ReminderCardActions;
      cardsFor?: CardsFor;
    },
  ) {}

  async click(turn: StaffTurn, click: CardClick): Promise<void> {
    if (click.eventKey === 'ack' || click.eventKey === 'act') return this.reminderClick(turn, click);
    const task = parseTaskId(click.taskId);
    const choice = CARD_CHOICES.find((c) => c === click.eventKey);
    const record = task && choice ? await this.deps.repo.get(task.caseId) : null;
    const decision = task && CARD_DECISIONS[task.action];
    if (!task || !choice || !record || !decision) return this.expired(turn);
    const pressed: Pressed = { task, record, choice, responseCode: click.responseCode };
    // One version on, the step may be this very click's (a retry after a crash): the case service knows.
    const retried = record.procedure.version === task.version + 1 && (choice === 'agree' || decision.disagree?.needsReason === false);
    if (record.procedure.version !== task.version && !retried) return this.movedOn(turn, pressed);

    if (choice === 'agree') {
      const payload = decision.agree(record.procedure, this.deps.org);
      return payload ? this.apply(turn, pressed, payload) : this.expired(turn);
    }
    const disagree = decision.disagree;
    if (!disagree) return this.expired(turn);
    if (!disagree.needsReason) return this.apply(turn, pressed, disagree.build(record.procedure));

    const refusing = disagree.build(record.procedure, REASON_TO_COME);
    const check = await this.deps.cases.preview(this.request(turn, pressed, refusing));
    if (!check.ok) return this.report(turn, pressed, check);
    const slotId = reasonSlotId(task.caseId);
    turn.state.slots[slotId] = {
      kind: 'reason',
      taskId: click.taskId,
      caseNumber: record.caseNumber,
      label: this.deps.staff.button(turn.locale, task.action, 'disagree'),
      responseCode: click.responseCode,
      lastActiveAt: turn.now.toISOString(),
    };
    turn.state.active = slotId;
    // A refusal's reason reaches the household (quoted, as the staff member's words): they are told before they type.
    const ask = refusing.type === 'reject' ? 'reason.askHouseholdReads' : 'reason.ask';
    this.say(turn, ask, { label: this.deps.staff.button(turn.locale, task.action, 'disagree'), caseNumber: record.caseNumber, head: record.household.head });
    this.remindWaiting(turn, slotId);
  }

  /** The text typed for an awaited reason. An unusable reason is asked for again; anything else ends the wait. */
  async reason(turn: StaffTurn, slotId: string, slot: ReasonSlot, text: string): Promise<void> {
    const task = parseTaskId(slot.taskId);
    const record = task ? await this.deps.repo.get(task.caseId) : null;
    const disagree = task && CARD_DECISIONS[task.action]?.disagree;
    if (!task || !record || !disagree?.needsReason) {
      this.end(turn, slotId);
      return this.expired(turn);
    }
    const pressed: Pressed = { task, record, choice: 'disagree', responseCode: slot.responseCode };
    const decision = await this.deps.cases.decide(this.request(turn, pressed, disagree.build(record.procedure, text.trim())));
    if (!decision.ok && decision.reason === 'action.invalid') {
      turn.state.slots[slotId] = { ...slot, lastActiveAt: turn.now.toISOString() };
      return this.say(turn, 'reason.invalid', { caseNumber: slot.caseNumber });
    }
    this.end(turn, slotId);
    await this.outcome(turn, pressed, decision);
    this.remindWaiting(turn);
  }

  cancel(turn: StaffTurn, slotId: string, slot: ReasonSlot): void {
    this.end(turn, slotId);
    this.say(turn, 'reason.cancelled', { caseNumber: slot.caseNumber, label: slot.label });
    this.remindWaiting(turn);
  }

  expire(turn: StaffTurn, slotId: string, slot: ReasonSlot): void {
    this.end(turn, slotId);
    this.say(turn, 'reason.expired', { caseNumber: slot.caseNumber });
  }

  /** Lists the cases whose reason is still awaited (but `except`), with how to answer one of them. */
  remindWaiting(turn: StaffTurn, except?: string): void {
    const waiting = Object.entries(turn.state.slots).filter(([id, slot]) => isReasonSlot(slot) && id !== except);
    const numbers = waiting.map(([, slot]) => (slot as ReasonSlot).caseNumber);
    if (numbers.length === 0) return;
    this.say(turn, 'reason.alsoWaiting', { caseNumbers: numbers.join(turn.locale === 'en' ? ', ' : '、'), example: numbers[0]! });
  }

  private async apply(turn: StaffTurn, pressed: Pressed, payload: ActionPayload): Promise<void> {
    await this.outcome(turn, pressed, await this.deps.cases.decide(this.request(turn, pressed, payload)));
  }

  private request(turn: StaffTurn, { task }: Pressed, payload: ActionPayload) {
    return { caseId: task.caseId, action: { ...payload, caseVersion: task.version }, userId: turn.member.userId, now: turn.now, requestId: turn.requestId };
  }

  private async outcome(turn: StaffTurn, pressed: Pressed, decision: CaseDecision): Promise<void> {
    if (!decision.ok) return decision.reason === 'case.movedOn' ? this.movedOn(turn, pressed) : this.report(turn, pressed, decision);
    const { staff } = this.deps;
    const { locale } = turn;
    const { task, choice } = pressed;
    await this.updateCard(turn, pressed.responseCode, staff.done(locale, task.action, choice, { name: turn.member.name, at: formatMonthDayTime(locale, turn.now) }), pressed.record.caseNumber);
    const { procedure } = decision.record;
    const lines = [
      staff.t(locale, 'decided', {
        caseNumber: decision.record.caseNumber,
        head: decision.record.household.head,
        label: staff.button(locale, task.action, choice),
        stage: staff.stage(locale, procedure.stage),
      }),
      ...(procedure.notice && decision.event.data?.notice ? [staff.t(locale, 'noticeUntil', { date: formatDate(locale, procedure.notice.endsOn) })] : []),
      ...(procedure.stage === 'rejected' ? await this.householdTold(locale, decision.record) : []),
    ];
    turn.out.push({ type: 'text', text: lines.join('\n') });
  }

  /**
   * How the household hears of its refusal: from the staff member who entered its lead, or by the way the
   * outbox took when the decision was recorded (微信客服, its monitoring contacts, or none yet).
   */
  private async householdTold(locale: Locale, record: CaseRecord): Promise<string[]> {
    const { staff, org } = this.deps;
    const declaration = record.declaration;
    if (!declaration) return [];
    if (declaration.declarant.channel !== 'kf') {
      const entered = declaration.declaredBy ? org.findStaff(declaration.declaredBy) : undefined;
      return [staff.t(locale, 'householdToldByStaff', { name: entered?.name ?? staff.t(locale, 'role.cadre') })];
    }
    const told = await this.deps.householdRoute?.(record._id);
    if (!told) return [staff.t(locale, 'householdTold')];
    const contacts = told.contacts.map((id) => org.findStaff(id)?.name ?? id).join(locale === 'en' ? ', ' : '、');
    return [staff.t(locale, `householdToldBy.${told.route}`, { contacts })];
  }

  /** A reminder card: 已知晓 acknowledges its items (they climb no further), 去办理 sends the cards of their steps. */
  private async reminderClick(turn: StaffTurn, click: CardClick): Promise<void> {
    const { reminders, texts } = this.deps;
    const { member, locale, now } = turn;
    if (!reminders) return this.expired(turn);
    if (click.eventKey === 'ack') {
      const count = await reminders.acknowledge(member.userId, click.taskId, now);
      if (count === undefined) return this.expired(turn);
      if (count === 0) return void turn.out.push({ type: 'text', text: texts.t(locale, 'reminders:ack.gone') });
      await this.updateCard(turn, click.responseCode, texts.t(locale, 'reminders:card.acked', { name: member.name, at: formatMonthDayTime(locale, now) }));
      return void turn.out.push({ type: 'text', text: texts.t(locale, 'reminders:ack.done', { count }) });
    }
    const open = await reminders.openItems(member.userId, click.taskId);
    if (open === undefined) return this.expired(turn);
    const caseIds = [...new Set(open.flatMap((item) => (item.caseId ? [item.caseId] : [])))];
    const cards = caseIds.length > 0 && this.deps.cardsFor ? await this.deps.cardsFor(member, locale, now, caseIds) : [];
    // A monthly check's or campaign's households are walked under 排查.
    const checks = open.some((item) => item.checkId !== undefined || item.campaignId !== undefined);
    if (cards.length === 0) return void turn.out.push({ type: 'text', text: texts.t(locale, checks ? 'reminders:act.checks' : 'reminders:act.none') });
    turn.out.push(...cards);
  }

  private async movedOn(turn: StaffTurn, pressed: Pressed): Promise<void> {
    await this.updateCard(turn, pressed.responseCode, this.deps.staff.t(turn.locale, 'card.done.movedOn'), pressed.record.caseNumber);
    this.say(turn, 'movedOn', { caseNumber: pressed.record.caseNumber });
  }

  /** A refusal other than "moved on": the card stays as it is, as the step may be possible later (a notice not yet ended). */
  private report(turn: StaffTurn, pressed: Pressed, refusal: Extract<CaseDecision, { ok: false }>): void {
    this.say(turn, 'refused', { caseNumber: pressed.record.caseNumber, reason: this.deps.staff.refusal(turn.locale, refusal) });
  }

  private async updateCard(turn: StaffTurn, responseCode: string, replaceName: string, caseNumber?: string): Promise<void> {
    try {
      await this.deps.updateCard({ response_code: responseCode, userids: [turn.member.userId], button: { replace_name: replaceName } });
    } catch (err) {
      // The decision stands; the card only keeps showing its buttons, and a late click is told it moved on.
      this.deps.logger.warn({ err: errorSummary(err), caseNumber }, 'card not updated after a decision');
    }
  }

  private expired(turn: StaffTurn): void {
    turn.out.push({ type: 'text', text: this.deps.texts.t(turn.locale, 'common:cardExpired') });
  }

  private end(turn: StaffTurn, slotId: string): void {
    delete turn.state.slots[slotId];
    if (turn.state.active !== slotId) return;
    // The reason awaited longest after this one becomes the one a plain reply answers.
    const next = Object.entries(turn.state.slots)
      .filter(([, slot]) => isReasonSlot(slot))
      .sort(([, a], [, b]) => b.lastActiveAt.localeCompare(a.lastActiveAt))[0];
    if (next) turn.state.active = next[0];
    else delete turn.state.active;
  }

  private say(turn: StaffTurn, key: string, vars: Record<string, string | number> = {}): void {
    turn.out.push({ type: 'text', text: this.deps.staff.t(turn.locale, key, vars) });
  }
}

/** The reason slot a staff member's text answers: the one whose case number it starts with, else the active one. */
export function pickReasonSlot(state: PersonState, text: string): { slotId: string; slot: ReasonSlot; text: string } | undefined {
  const trimmed = text.trim();
  for (const [slotId, slot] of Object.entries(state.slots)) {
    if (isReasonSlot(slot) && trimmed.startsWith(slot.caseNumber)) {
      return { slotId, slot, text: trimmed.slice(slot.caseNumber.length).replace(/^[\s:：,，]+/, '') };
    }
  }
  const active = state.active ? state.slots[state.active] : undefined;
  return state.active && isReasonSlot(active) ? { slotId: state.active, slot: active, text: trimmed } : undefined;
}
