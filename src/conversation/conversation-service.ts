import type { Logger } from 'pino';
import type { CaseMessages } from '../cases/case-messages.js';
import type { CaseRecord } from '../cases/case-record.js';
import type { CaseRepository } from '../cases/case-repository.js';
import { DeclarationBusyError, DeclarationError, type DeclarationService } from '../cases/declaration-service.js';
import { LEAD_FLOWS, leadFlowStart, leadVillages, type LeadReports, type StaffLeadSource } from '../cases/lead-reports.js';
import { addressKey, type Address, type CardClick, type ChatHandler, type ChatInput, type Outbound, type TurnOutput } from '../channel/messages.js';
import type { Answers, EngineEvent, EngineOutbound, Vars } from '../engine/events.js';
import type { Flow } from '../engine/flow-schema.js';
import { readGlobalWord, step, type GlobalCommand, type TurnResult } from '../engine/run.js';
import type { EngineInput } from '../engine/state.js';
import type { RunContext } from '../engine/step-types/index.js';
import { DEFAULT_LOCALE, type Locale, type Texts } from '../i18n/i18n.js';
import type { Org, StaffMember } from '../org/org.js';
import { messagesTo, type Outbox } from '../outbox/outbox-item.js';
import { QUOTE_LIMITS, quoteUserText } from '../privacy/quote-user-text.js';
import { errorSummary } from '../shared/background-work.js';
import type { Clock } from '../shared/clock.js';
import { optionSources } from './area-options.js';
import { formOfClick, parseTaskId } from './decision-cards.js';
import { placeOf } from './decision-card-view.js';
import { CASE_STEP_FORMS } from '../forms/form-actions.js';
import { formSlotId, type FormService } from '../forms/form-service.js';
import { parsePhoneTaskId, type PhoneDisclosures } from '../cases/phone-disclosures.js';
import { phoneCard } from './phone-card.js';
import type { StaffTexts } from './staff-texts.js';
import { isSystemQuestion, type HouseholdAgreement, type HouseholdQuestion } from '../forms/household-agreement.js';
import type { ActionType } from '../procedure/actions.js';
import type { PolicyProfile } from '../policy/profile.js';
import { interruptsFlow, isGreeting, readCommand, startsStaffFlow, type Command } from './commands.js';
import type { ConversationStore, Loaded } from './conversation-store.js';
import type { HelpResponder } from './help-responder.js';
import type { LeadMessages } from './lead-messages.js';
import { flowSlot, handledTurn, rememberTurn, type FlowSlot, type PersonState } from './person-state.js';
import { renderOutbound } from './render.js';
import { pickReasonSlot, type StaffDecisions, type StaffTurn } from './staff-decisions.js';
import type { StaffTodo } from './staff-todo.js';
import { ordinalOf } from '../engine/step-types/choice-reading.js';
import { checkOptionSources } from '../checks/check-options.js';
import type { CheckService, CheckStart } from '../checks/check-service.js';

export interface ConversationDeps {
  flows: ReadonlyMap<string, Flow>;
  store: ConversationStore;
  texts: Texts;
  org: Org;
  clock: Clock;
  logger: Logger;
  help: HelpResponder;
  declarations: DeclarationService;
  caseRepo: CaseRepository;
  caseMessages: CaseMessages;
  staffTodo: StaffTodo;
  staffDecisions: StaffDecisions;
  staffTexts: StaffTexts;
  /** Every message to someone other than the person talking goes out through it. */
  outbox: Outbox;
  forms: FormService;
  /** Shows a household's full phone to its monitoring contacts and village cadres, recording each time. */
  phones: PhoneDisclosures;
  /** Leads staff enter for a household (上报线索, 代申报), and what they are told. */
  leads: LeadReports;
  leadMessages: LeadMessages;
  /** Asks a household on 微信客服 to agree to its elimination, and records its answer. */
  householdAgreement?: HouseholdAgreement;
  /** The policy profiles, for the code lists a case's forms offer. */
  profiles: readonly PolicyProfile[];
  resumeAfterMs: number;
  expireAfterMs: number;
  /** The checks by chat (排查): lists, visits, campaigns. */
  checks?: CheckService;
}

/** The checks a flow step may ask for (`check:` on a text step); flows naming another refuse to load. */
export const FLOW_CHECKS = ['openCase'] as const;

/** Words that drop an awaited reason instead of being taken as one. */
const DROPS_REASON: readonly GlobalCommand[] = ['cancel', 'back', 'restart'];

/** How long a bare number typed after 我的待办 still means an item of that list. */
const TODO_NUMBERS_KEPT_MS = 12 * 3600_000;

/** One turn being handled: the person, their state, what to answer them, and the inbound message's id. */
interface Turn {
  from: Address;
  person: string;
  state: PersonState;
  out: Outbound[];
  now: Date;
  requestId: string;
}

/**
 * The ChatHandler behind both channels: runs flows with the pure engine, keeps each person's
 * conversations in the state store, and carries out what the engine asks (create a case, hand over).
 */
/** A submitted form the rules refused: it stays open at its review, to be fixed and sent again. */
class FormStaysOpen extends Error {}

export class ConversationService implements ChatHandler {
  constructor(private readonly deps: ConversationDeps) {}

  async onText(input: ChatInput): Promise<TurnOutput> {
    const { from } = input;
    if (from.channel === 'app' && !this.deps.org.findStaff(from.userId)) return this.deps.help.onText(input);
    return this.inTurn(from, input.id, async (turn, loaded) => {
      if (loaded.dropped) this.say(turn, 'cases:stateLost');
      if (loaded.lost) return this.lostAnswers(turn, loaded.lost, input);
      try {
        await this.handle(turn, input);
      } catch (err) {
        if (!(err instanceof DeclarationBusyError)) throw err;
        this.say(turn, 'cases:busy');
      }
    });
  }

  onUnsupported(from: Address): Promise<TurnOutput> {
    return this.deps.help.onUnsupported(from);
  }

  /** A staff member tapped a decision card: the step is applied (or a reason asked for) under their lock. */
  async onCardClick(click: CardClick): Promise<TurnOutput> {
    const member = this.deps.org.findStaff(click.from.userId);
    if (!member) return this.deps.help.onCardClick(click);
    return this.inTurn(click.from, click.id, async (turn) => {
      const phoneOf = parsePhoneTaskId(click.taskId);
      if (phoneOf) return this.revealPhone(turn, member, { caseId: phoneOf });
      if (click.taskId.startsWith('chk_') && this.deps.checks) return this.startCheck(turn, await this.deps.checks.click(member, click.taskId, this.locale(turn), turn.now));
      const task = parseTaskId(click.taskId);
      // 开始填写, or a button starting another step's form (登记异议 on the close-notice card).
      const form = task && formOfClick(task, click.eventKey);
      if (!task || !form) return click.eventKey === 'fill' ? this.say(turn, 'common:cardExpired') : this.deps.staffDecisions.click(this.staffTurn(turn, member), click);
      await this.startForm(turn, member, task.caseId, form, task.version);
    });
  }

  /**
   * One turn under the person's lock. A turn already handled under this id (a retry) is not run again: its
   * stored replies come back, marked replayed. Otherwise the turn runs, and its replies are stored with the
   * new state in one write: the turn and what it owes the person are done together, or not at all.
   */
  private async inTurn(from: Address, id: string, body: (turn: Turn, loaded: Loaded) => Promise<void>): Promise<TurnOutput> {
    const person = addressKey(from);
    return this.deps.store.withLock(person, async () => {
      const loaded = await this.deps.store.load(person);
      const done = handledTurn(loaded.state, id);
      if (done) return { replies: done.replies, replayed: true };
      const turn: Turn = { from, person, state: loaded.state, out: [], now: this.deps.clock.now(), requestId: id };
      await body(turn, loaded);
      rememberTurn(turn.state, { id, at: turn.now.toISOString(), replies: turn.out });
      await this.deps.store.save(person, turn.state, turn.now);
      return { replies: turn.out };
    });
  }

  /**
   * The state store lost this person's conversation (Redis restarted empty): say so kindly and how to start
   * again. A command typed now still works; anything else was an answer to a question that is gone.
   */
  private async lostAnswers(turn: Turn, lost: NonNullable<Loaded['lost']>, input: ChatInput): Promise<void> {
    await this.deps.store.forgetMark(turn.person);
    const flow = lost.flowIds[0] ?? 'declaration';
    this.say(turn, 'cases:answersLost', { flow: this.deps.texts.t(this.locale(turn), `cases:flowName.${flow}`) });
    const command = readCommand(input.text);
    if (command) await this.outsideFlow(turn, command, input);
  }

  private locale(turn: Turn): Locale {
    return turn.state.locale ?? DEFAULT_LOCALE;
  }

  private say(turn: Turn, key: string, vars: Vars = {}): void {
    turn.out.push({ type: 'text', text: this.deps.texts.t(this.locale(turn), key, vars) });
  }

  private async handle(turn: Turn, input: ChatInput): Promise<void> {
    const command = readCommand(input.text);
    const member = turn.from.channel === 'app' ? this.deps.org.findStaff(turn.from.userId) : undefined;
    const reason = member ? pickReasonSlot(turn.state, input.text) : undefined;
    if (member && reason) return this.reasonTurn(this.staffTurn(turn, member), turn, reason, command, input);
    const slotId = turn.state.active;
    const slot = slotId ? turn.state.slots[slotId] : undefined;
    if (!slotId || !slot) return this.outsideFlow(turn, command, input);

    const idle = turn.now.getTime() - Date.parse(slot.lastActiveAt);
    if (idle >= this.deps.expireAfterMs) {
      this.run(turn, slotId, { type: 'expired' });
      // A command typed on return still works (e.g. 申报 starts afresh); anything else was an answer to a
      // question that has gone, so it is not taken as a new one.
      if (command && command.kind !== 'help') await this.outsideFlow(turn, command, input);
      return;
    }
    if (interruptsFlow(command, turn.from.channel === 'app')) {
      await this.outsideFlow(turn, command, input);
      // The question they were at comes back, unless the command went to a form or flow of its own (继续, 办3, 上报线索).
      if (turn.state.active === slotId && command?.kind !== 'continue' && !startsStaffFlow(command)) this.run(turn, slotId, { type: 'repeat' });
      return;
    }
    // Back after a pause: one line saying where they were. A greeting is not an answer (你好 would pass as a
    // name), so the question is asked again; anything else is taken as the answer.
    if (idle >= this.deps.resumeAfterMs && !readGlobalWord(input.text) && !isSystemQuestion(slotId)) {
      if (isGreeting(input.text)) {
        this.run(turn, slotId, { type: 'timeout' });
        return;
      }
      this.say(turn, 'engine:reminder');
    }
    const before = structuredClone(slot) as FlowSlot;
    const said = turn.out.length;
    const result = this.run(turn, slotId, { type: 'message', text: input.text, ...(input.menuId ? { menuId: input.menuId } : {}) });
    await this.apply(turn, slotId, result, { slot: before, said });
  }

  /**
   * A staff member's text while a reason is awaited: the reason itself, unless it is a command (answered,
   * then a reminder) or a word that drops the reason (取消, 返回, 重新开始).
   */
  private async reasonTurn(
    staffTurn: StaffTurn,
    turn: Turn,
    picked: NonNullable<ReturnType<typeof pickReasonSlot>>,
    command: Command | undefined,
    input: ChatInput,
  ): Promise<void> {
    const { slotId, slot } = picked;
    if (turn.now.getTime() - Date.parse(slot.lastActiveAt) >= this.deps.expireAfterMs) {
      this.deps.staffDecisions.expire(staffTurn, slotId, slot);
      if (command) await this.outsideFlow(turn, command, input);
      return;
    }
    const word = readGlobalWord(picked.text);
    if (word && DROPS_REASON.includes(word)) return this.deps.staffDecisions.cancel(staffTurn, slotId, slot);
    if (command || word) {
      await this.outsideFlow(turn, command ?? { kind: 'help' }, input);
      this.deps.staffDecisions.remindWaiting(staffTurn);
      return;
    }
    await this.deps.staffDecisions.reason(staffTurn, slotId, slot, picked.text);
  }

  private staffTurn(turn: Turn, member: StaffMember): StaffTurn {
    return { member, state: turn.state, locale: this.locale(turn), now: turn.now, out: turn.out, requestId: turn.requestId };
  }

  private async outsideFlow(turn: Turn, command: Command | undefined, input: ChatInput): Promise<void> {
    switch (command?.kind) {
      case 'todo':
      case 'todoPage': {
        const member = this.staffMember(turn);
        if (!member) break;
        const page = command.kind === 'todo' ? 0 : (turn.state.todo?.page ?? -1) + command.step;
        return this.listTodo(turn, member, page);
      }
      case 'todoItem': {
        const member = this.staffMember(turn);
        if (member) return this.openTodoItem(turn, member, command.n);
        break;
      }
      case 'declare':
        if (turn.from.channel === 'kf') return this.start(turn, 'declaration');
        break;
      case 'progress':
        if (turn.from.channel === 'kf') {
          const records = await this.deps.caseRepo.declaredBy(turn.person);
          turn.out.push(this.deps.caseMessages.household.progress(this.locale(turn), records, turn.now));
          return;
        }
        break;
      case 'locale':
        turn.state.locale = command.locale;
        this.say(turn, 'cases:locale');
        return;
      case 'handover':
        if (turn.from.channel === 'kf') {
          // Outside a flow there is nothing to go on filling in: the reply says what there is (a case, or how to declare).
          const latest = await this.handover(turn, undefined);
          if (latest) this.say(turn, 'cases:handover.replyCase', { caseNumber: latest.caseNumber });
          else this.say(turn, 'cases:handover.replyNone');
          return;
        }
        break;
      case 'continue':
        if (turn.from.channel === 'app') return this.continueForm(turn);
        break;
      case 'revealPhone': {
        const member = turn.from.channel === 'app' ? this.deps.org.findStaff(turn.from.userId) : undefined;
        if (member) return this.revealPhone(turn, member, command.caseNumber ? { caseNumber: command.caseNumber } : undefined);
        break;
      }
      case 'reportLead':
      case 'declareFor':
        if (turn.from.channel === 'app') {
          const member = this.deps.org.findStaff(turn.from.userId);
          if (member) return this.startLead(turn, member, command.kind === 'reportLead' ? 'cadreCheck' : 'selfDeclaration');
        }
        break;
      case 'caseStep': {
        const member = turn.from.channel === 'app' ? this.deps.org.findStaff(turn.from.userId) : undefined;
        if (member) return this.caseStep(turn, member, command);
        break;
      }
      case 'monthlyCheck': {
        const member = turn.from.channel === 'app' ? this.deps.org.findStaff(turn.from.userId) : undefined;
        if (member && this.deps.checks) return this.startCheck(turn, await this.deps.checks.begin(member, this.locale(turn), turn.now));
        break;
      }
    }
    const member = command ? undefined : this.staffMember(turn);
    const todo = turn.state.todo;
    const recent = todo !== undefined && turn.now.getTime() - Date.parse(todo.at) < TODO_NUMBERS_KEPT_MS;
    const n = member && todo && recent ? ordinalOf(input.text, todo.items.length) : undefined;
    if (member && n !== undefined) return this.openTodoItem(turn, member, n);
    turn.out.push(...(await this.deps.help.onText({ ...input, from: turn.from }, this.locale(turn))).replies);
  }

  private staffMember(turn: Turn): StaffMember | undefined {
    return turn.from.channel === 'app' ? this.deps.org.findStaff(turn.from.userId) : undefined;
  }

  /** A page of 我的待办; the whole list's numbering is kept so "3" or "办3" can open an item. */
  private async listTodo(turn: Turn, member: StaffMember, page: number): Promise<void> {
    const inForm = turn.state.active !== undefined && flowSlot(turn.state, turn.state.active) !== undefined;
    const listed = await this.deps.staffTodo.list(member, this.locale(turn), turn.now, Math.max(page, 0), inForm);
    turn.out.push(...listed.out);
    turn.state.todo = { at: turn.now.toISOString(), page: listed.page, items: listed.listed };
  }

  private async openTodoItem(turn: Turn, member: StaffMember, n: number): Promise<void> {
    const items = turn.state.todo?.items ?? [];
    const listed = n >= 1 ? items[n - 1] : undefined;
    const opened = await this.deps.staffTodo.open(member, this.locale(turn), turn.now, listed && { caseId: listed.caseId, action: listed.action as ActionType }, n);
    if (opened.kind === 'form') return this.startForm(turn, member, opened.caseId, opened.action);
    turn.out.push(...opened.out);
  }

  private async start(turn: Turn, flowId: string): Promise<void> {
    turn.state.active = flowId;
    await this.apply(turn, flowId, this.run(turn, flowId, { type: 'start' }, flowId));
  }

  /**
   * 上报线索 / 代申报: the lead flow for a household of a village the staff member serves, started with what their
   * areas settle (one village: no township or village question), or resumed where it was left.
   */
  private async startLead(turn: Turn, member: StaffMember, source: StaffLeadSource): Promise<void> {
    const flowId = LEAD_FLOWS[source];
    turn.state.active = flowId;
    if (flowSlot(turn.state, flowId)) {
      this.say(turn, 'staff:lead.resumed', { what: this.deps.texts.t(this.locale(turn), `cases:flowName.${flowId}`) });
      this.run(turn, flowId, { type: 'repeat' });
      return;
    }
    if (leadVillages(this.deps.org, member).length === 0) {
      delete turn.state.active;
      return this.say(turn, 'staff:lead.noVillages', { name: member.name });
    }
    await this.apply(turn, flowId, this.run(turn, flowId, { type: 'start', answers: leadFlowStart(this.deps.org, member, source, turn.now) }, flowId));
  }

  /**
   * A staff form for one step of one case (from its card's 开始填写, or 我的待办): started with what the case
   * already knows, or resumed where it was when it is under way. Other forms under way are mentioned.
   */
  private async startForm(turn: Turn, member: StaffMember, caseId: string, action: ActionType, version?: number): Promise<void> {
    const locale = this.locale(turn);
    const slotId = formSlotId(caseId, action);
    const others = this.openForms(turn.state).filter((id) => id !== slotId);
    if (flowSlot(turn.state, slotId)) {
      turn.state.active = slotId;
      this.resumeForm(turn, slotId);
    } else {
      const prepared = await this.deps.forms.prepare(member, caseId, action, locale, turn.now, version);
      if (!prepared.ok) return void turn.out.push({ type: 'text', text: prepared.message });
      turn.state.active = slotId;
      const { record } = prepared;
      this.say(turn, prepared.due ? 'staff:form.startedDue' : 'staff:form.started', {
        caseNumber: record.caseNumber,
        head: record.household.head,
        place: placeOf(this.deps.org, record),
        what: this.deps.texts.t(locale, `staff:action.${action}`),
        due: prepared.due ?? '',
      });
      if (prepared.brief) turn.out.push({ type: 'text', text: prepared.brief });
      await this.apply(turn, slotId, this.run(turn, slotId, { type: 'start', answers: prepared.answers }, prepared.flowId));
    }
    if (others.length > 0) this.say(turn, 'staff:form.otherOpen', { count: others.length, list: others.map((id) => this.formLabel(turn, id)).join('、') });
  }

  /** 异议 / 先行救助 / 风险消除 <案件编号>: that step's form on the case, checked as from a card (who, when, what lets it pass). */
  private async caseStep(turn: Turn, member: StaffMember, command: Extract<Command, { kind: 'caseStep' }>): Promise<void> {
    if (!command.caseNumber) return this.say(turn, 'staff:command.needsCaseNumber', { word: this.deps.texts.t(this.locale(turn), `staff:command.word.${command.step}`) });
    const record = await this.deps.caseRepo.byNumber(command.caseNumber);
    if (!record) return this.say(turn, 'staff:form.unknownCase');
    await this.startForm(turn, member, record._id, CASE_STEP_FORMS[command.step]);
  }

  /**
   * A step of the checks: its lines said, then its flow started (the task to choose, the list to pick from, a
   * visit form), or resumed where it was when a visit for that household is under way.
   */
  private async startCheck(turn: Turn, start: CheckStart): Promise<void> {
    for (const line of start.say) turn.out.push({ type: 'text', text: line });
    if (!start.flow) return;
    const { slotId, flowId, answers } = start.flow;
    turn.state.active = slotId;
    if (slotId.startsWith('form:') && flowSlot(turn.state, slotId)) return this.resumeForm(turn, slotId);
    await this.apply(turn, slotId, this.run(turn, slotId, { type: 'start', answers }, flowId));
  }

  /** 继续: back to the form left longest ago (other than the current one). */
  private continueForm(turn: Turn): void {
    const open = this.openForms(turn.state).filter((id) => id !== turn.state.active);
    const target = open[0] ?? (turn.state.active && this.openForms(turn.state).includes(turn.state.active) ? turn.state.active : undefined);
    if (!target) return this.say(turn, 'staff:form.noneOpen');
    turn.state.active = target;
    this.resumeForm(turn, target);
  }

  private resumeForm(turn: Turn, slotId: string): void {
    const label = flowSlot(turn.state, slotId)?.engine.answers.formLabel;
    if (typeof label === 'string') this.say(turn, 'checks:visit.resumed', { label });
    else this.say(turn, 'staff:form.resumed', { label: this.formLabel(turn, slotId) });
    this.run(turn, slotId, { type: 'repeat' });
  }

  /** Form slots under way, the one left longest ago first. */
  private openForms(state: PersonState): string[] {
    return Object.entries(state.slots)
      .filter(([id, slot]) => id.startsWith('form:') && 'flowId' in slot)
      .sort(([, a], [, b]) => a.lastActiveAt.localeCompare(b.lastActiveAt))
      .map(([id]) => id);
  }

  /** "20261122-0001 入户核实" for a form slot. */
  private formLabel(turn: Turn, slotId: string): string {
    const answers = flowSlot(turn.state, slotId)?.engine.answers ?? {};
    if (typeof answers.formLabel === 'string') return answers.formLabel;
    const action = typeof answers.formAction === 'string' ? answers.formAction : '';
    return `${String(answers.caseNumber ?? '')} ${this.deps.texts.t(this.locale(turn), `staff:action.${action}`)}`.trim();
  }

  /** One engine step for a slot; the slot is saved, or removed when the flow ended or failed. */
  private run(turn: Turn, slotId: string, input: EngineInput, flowId = flowSlot(turn.state, slotId)?.flowId): TurnResult {
    const flow = flowId ? this.deps.flows.get(flowId) : undefined;
    const locale = this.locale(turn);
    const ctx: RunContext = {
      text: (key) => (this.deps.texts.has(locale, key) ? this.deps.texts.t(locale, key) : undefined),
      options: {
        ...optionSources(this.deps.org, (key) => this.deps.texts.t(locale, key), this.deps.profiles, locale),
        ...checkOptionSources((key, vars) => this.deps.texts.t(locale, key, vars)),
      },
    };
    const previous = input.type === 'start' ? undefined : flowSlot(turn.state, slotId)?.engine;
    const result: TurnResult = flow
      ? step(flow, previous, input, turn.now, ctx)
      : { state: null, status: 'failed', events: [{ type: 'failure', code: 'flow.missing', detail: flowId ?? slotId }] };
    if (result.state && flowId) turn.state.slots[slotId] = { flowId, engine: result.state, lastActiveAt: turn.now.toISOString() };
    const extra = this.contactVars(result.state?.answers ?? {});
    for (const e of result.events) if (e.type === 'message') turn.out.push(renderOutbound(this.deps.texts, locale, staffWording(turn.from, e.outbound), extra));
    if (result.status === 'failed') {
      const failure = result.events.find((e): e is Extract<EngineEvent, { type: 'failure' }> => e.type === 'failure');
      this.deps.logger.error({ flow: flowId, code: failure?.code, step: result.state?.stepId }, 'flow failed; conversation ended');
      this.say(turn, 'cases:failed');
      this.endSlot(turn, slotId);
    } else if (result.events.some((e) => e.type === 'flow_ended')) {
      this.endSlot(turn, slotId);
    }
    return result;
  }

  /**
   * Carries out the engine's actions (messages were rendered by `run`). When an action cannot be carried out
   * because a store failed (a full disk at submit), the flow goes back to where it was before this message
   * and the person is asked to send it again: nothing is half-done and nothing they typed is lost.
   */
  private async apply(turn: Turn, slotId: string, result: TurnResult, before?: { slot: FlowSlot; said: number }): Promise<void> {
    for (const [i, event] of result.events.entries()) {
      try {
        if (event.type === 'check') {
          // What the turn had shown up to the check: the messages after it (the next question) go if the check stops the flow.
          const shown = (before?.said ?? 0) + result.events.slice(0, i).filter((e) => e.type === 'message').length;
          if (before && (await this.checkStops(turn, slotId, event, result.state?.answers ?? {}, shown))) return;
        } else if (event.type === 'action') await this.action(turn, event.name, event.data);
        else if (event.type === 'handover') await this.handover(turn, { flowId: flowSlot(turn.state, slotId)?.flowId ?? slotId, answers: result.state?.answers ?? {} });
      } catch (err) {
        if (before && err instanceof FormStaysOpen) {
          turn.state.slots[slotId] = before.slot;
          turn.state.active = slotId;
          return;
        }
        if (!before || err instanceof DeclarationError || err instanceof DeclarationBusyError) throw err;
        this.deps.logger.error({ err: errorSummary(err), flow: before.slot.flowId }, 'flow action failed; the person is asked to send again');
        turn.state.slots[slotId] = before.slot;
        turn.state.active = slotId;
        turn.out.length = before.said;
        this.say(turn, 'cases:submitFailed');
        return;
      }
    }
  }

  private async action(turn: Turn, name: string, data: Answers): Promise<void> {
    if (name === 'submitForm') return this.submitForm(turn, data);
    if (name === 'reportLead') return this.reportLead(turn, data);
    if (name === 'recordHouseholdAgreement') return this.householdAnswered(turn, data);
    if (['pickCheckTask', 'pickCheckHousehold', 'submitCheck'].includes(name)) return this.checkAction(turn, name, data);
    if (name !== 'createCase') throw new Error(`unknown flow action "${name}"`);
    const locale = this.locale(turn);
    const result = await this.deps.declarations.declare(data, turn.from, turn.now, turn.requestId, locale);
    if (result.kind === 'duplicate') {
      const { record } = result;
      const sameDeclarant = record.declaration?.declarantKey === turn.person;
      this.deps.logger.info({ caseNumber: record.caseNumber, sameDeclarant }, 'declaration for a household with an open case; not duplicated');
      turn.out.push(this.deps.caseMessages.duplicate(locale, record, sameDeclarant));
      // What was written this time is not lost: the monitoring contacts get it.
      const again = {
        riskTypes: Array.isArray(data.riskTypes) ? data.riskTypes : [],
        ...(typeof data.otherReason === 'string' ? { otherReason: data.otherReason } : {}),
        description: String(data.description ?? ''),
      };
      const notice = this.deps.caseMessages.repeatNotice(DEFAULT_LOCALE, record, again, !sameDeclarant);
      for (const contact of this.deps.org.staffServing(record.area.village, 'cadre')) {
        await this.deps.outbox.enqueue(messagesTo(`case:${record._id}:repeat:${turn.requestId}:${contact.userId}`, 'notice', { channel: 'app', userId: contact.userId }, [notice], { caseId: record._id }));
      }
      return;
    }
    const { record, profile } = result;
    this.deps.logger.info({ caseNumber: record.caseNumber, village: record.area.village, profile: record.procedure.profileKey }, 'case created from a self-declaration');
    turn.out.push(this.deps.caseMessages.declared(locale, record, profile));
    const words = { description: String(data.description ?? ''), ...(typeof data.otherReason === 'string' ? { otherReason: data.otherReason } : {}) };
    const notice = this.deps.caseMessages.staffNotice(DEFAULT_LOCALE, record, words);
    for (const contact of this.deps.org.staffServing(record.area.village, 'cadre')) {
      // One card each: WeCom refuses a task_id used before.
      const phone = { type: 'card' as const, card: phoneCard({ record, org: this.deps.org, staff: this.deps.staffTexts, locale: DEFAULT_LOCALE }) };
      await this.deps.outbox.enqueue(messagesTo(`case:${record._id}:declared:${contact.userId}`, 'notice', { channel: 'app', userId: contact.userId }, [notice, phone], { caseId: record._id }));
    }
  }

  /**
   * A step's check (flows/declaration.yaml ask_id: `openCase`). When the ID number's household already has an
   * open case, the declaration ends right there, saying only what the privacy rules allow (the case number and
   * stage to its own declarant, a neutral message to anyone else), and the village's cadres are told that
   * the household tried to declare again (nothing more was written). The check is a courtesy: when the
   * store cannot answer, the flow goes on, and `declare` still refuses a second case at the end.
   */
  private async checkStops(turn: Turn, slotId: string, check: Extract<EngineEvent, { type: 'check' }>, answers: Answers, shown: number): Promise<boolean> {
    if (check.name !== 'openCase') throw new Error(`unknown flow check "${check.name}"`);
    const idNumber = answers[check.field];
    if (typeof idNumber !== 'string') return false;
    let record;
    try {
      record = await this.deps.declarations.openCaseFor(idNumber, turn.now);
    } catch (err) {
      this.deps.logger.warn({ err: errorSummary(err) }, 'open-case check failed; the declaration goes on and is checked at submit');
      return false;
    }
    if (!record) return false;
    const sameDeclarant = record.declaration?.declarantKey === turn.person;
    this.deps.logger.info({ caseNumber: record.caseNumber, sameDeclarant }, 'declaration stopped at the ID number: the household has an open case');
    turn.out.length = shown;
    turn.out.push(this.deps.caseMessages.duplicate(this.locale(turn), record, sameDeclarant, 'atId'));
    this.endSlot(turn, slotId);
    const notice = this.deps.caseMessages.repeatStoppedNotice(DEFAULT_LOCALE, record, !sameDeclarant);
    try {
      for (const contact of this.deps.org.staffServing(record.area.village, 'cadre')) {
        await this.deps.outbox.enqueue(messagesTo(`case:${record._id}:repeat:${turn.requestId}:${contact.userId}`, 'notice', { channel: 'app', userId: contact.userId }, [notice], { caseId: record._id }));
      }
    } catch (err) {
      this.deps.logger.error({ err: errorSummary(err), caseNumber: record.caseNumber }, 'repeat-declaration notice not recorded');
    }
    return true;
  }

  /**
   * A finished lead flow opens a case, and the village's other cadres get the new-case notice (cards go out
   * through onStep). A household with an open case gets no second one: the staff member, not the household, is
   * told which case it has.
   */
  private async reportLead(turn: Turn, data: Answers): Promise<void> {
    const member = turn.from.channel === 'app' ? this.deps.org.findStaff(turn.from.userId) : undefined;
    if (!member) throw new Error('a lead was submitted by someone not on the roster');
    const locale = this.locale(turn);
    const result = await this.deps.leads.report(data, member, turn.now, turn.requestId);
    if (result.kind === 'refused') {
      this.deps.logger.info({ reason: result.refusal.reason, userId: member.userId }, 'lead not opened');
      return void turn.out.push(this.deps.leadMessages.refused(locale, result.refusal));
    }
    const { record } = result;
    if (result.kind === 'duplicate') {
      this.deps.logger.info({ caseNumber: record.caseNumber, userId: member.userId }, 'lead for a household with an open case; not duplicated');
      return void turn.out.push(this.deps.leadMessages.duplicate(locale, record));
    }
    this.deps.logger.info({ caseNumber: record.caseNumber, village: record.area.village, source: record.procedure.source, userId: member.userId }, 'case opened from a lead entered by staff');
    turn.out.push(this.deps.leadMessages.opened(locale, record));
    const words = { description: String(data.description ?? ''), ...(typeof data.otherReason === 'string' ? { otherReason: data.otherReason } : {}) };
    const notice = this.deps.caseMessages.staffNotice(DEFAULT_LOCALE, record, words);
    for (const contact of this.deps.org.staffServing(record.area.village, 'cadre')) {
      if (contact.userId.toLowerCase() === member.userId.toLowerCase()) continue;
      await this.deps.outbox.enqueue(messagesTo(`case:${record._id}:declared:${contact.userId}`, 'notice', { channel: 'app', userId: contact.userId }, [notice], { caseId: record._id }));
    }
  }

  /** The end of a check flow: the task chosen, the household picked, or the visit recorded. */
  private async checkAction(turn: Turn, name: string, data: Answers): Promise<void> {
    const member = turn.from.channel === 'app' ? this.deps.org.findStaff(turn.from.userId) : undefined;
    const checks = this.deps.checks;
    if (!member || !checks) throw new Error('a check flow ended for someone not on the roster');
    const locale = this.locale(turn);
    if (name === 'pickCheckTask') return this.startCheck(turn, await checks.chooseTask(member, data, locale, turn.now));
    if (name === 'pickCheckHousehold') return this.startCheck(turn, await checks.chooseHousehold(member, data, locale, turn.now));
    turn.out.push({ type: 'text', text: await checks.recorder.record(member, data, locale, turn.now, turn.requestId) });
  }

  /** A finished staff form becomes its step; a refusal the staff member can fix keeps the form open at its review. */
  private async submitForm(turn: Turn, data: Answers): Promise<void> {
    const member = turn.from.channel === 'app' ? this.deps.org.findStaff(turn.from.userId) : undefined;
    if (!member) throw new Error('a staff form was submitted by someone not on the roster');
    const outcome = await this.deps.forms.submit(member, data, this.locale(turn), turn.now, turn.requestId);
    turn.out.push({ type: 'text', text: outcome.text });
    if (outcome.keepOpen) throw new FormStaysOpen();
  }

  /** The household answered the elimination question on 微信客服: its answer is the step, and it is told what follows. */
  private async householdAnswered(turn: Turn, data: Answers): Promise<void> {
    const agreement = this.deps.householdAgreement;
    if (!agreement || turn.from.channel !== 'kf') throw new Error('a household agreement was answered outside 微信客服');
    turn.out.push({ type: 'text', text: await agreement.answered(data, turn.from, this.locale(turn), turn.now, turn.requestId) });
  }

  /**
   * A case moved (CaseService.onStep): when its elimination now waits for the household's agreement and the
   * household can be written to, the question is put in its own conversation. A failure here only leaves the
   * cadre's paper-signature card as the way, so it is logged, not thrown at whoever took the step.
   */
  async caseMoved(record: CaseRecord, now: Date): Promise<void> {
    try {
      const question = await this.deps.householdAgreement?.questionFor(record);
      if (question) await this.askHousehold(question, now);
    } catch (err) {
      this.deps.logger.error({ err: errorSummary(err), caseNumber: record.caseNumber }, 'household not asked on 微信客服; the paper card remains');
    }
  }

  /**
   * Starts a flow in a household's conversation without a message from it: under its lock, only when it is not in
   * the middle of another flow (its next reply must not be taken for an answer it did not mean) and not asked
   * already about this version of the case (a question left from an earlier round is replaced). The question goes
   * out through the outbox, after the state that takes the answer is saved.
   */
  private async askHousehold(question: HouseholdQuestion, now: Date): Promise<void> {
    const person = addressKey(question.to);
    await this.deps.store.withLock(person, async () => {
      const { state } = await this.deps.store.load(person);
      const busy = state.active !== undefined && state.active !== question.slotId && state.slots[state.active] !== undefined;
      const asked = flowSlot(state, question.slotId)?.engine.answers.caseVersion === question.answers.caseVersion;
      if (busy || asked) return;
      const turn: Turn = { from: question.to, person, state, out: [], now, requestId: question.outboxId };
      state.active = question.slotId;
      await this.apply(turn, question.slotId, this.run(turn, question.slotId, { type: 'start', answers: question.answers }, question.flowId));
      const [first, ...rest] = turn.out;
      if (!first || first.type === 'card') return;
      const intro = this.deps.texts.t(this.locale(turn), question.intro.key, question.intro.vars);
      await this.deps.store.save(person, state, now);
      await this.deps.outbox.enqueue(messagesTo(question.outboxId, 'notice', question.to, [{ ...first, text: `${intro}\n${first.text}` }, ...rest], { caseId: question.caseId }));
    });
  }

  /**
   * 查看电话 (a card's button, or the command with a case number): the full phone, in the reply to the one who
   * asked, for the household's monitoring contacts and its village's cadres; each time recorded first.
   */
  private async revealPhone(turn: Turn, member: StaffMember, which: { caseId: string } | { caseNumber: string } | undefined): Promise<void> {
    const locale = this.locale(turn);
    const staff = this.deps.staffTexts;
    if (!which) return void turn.out.push({ type: 'text', text: staff.t(locale, 'phone.which') });
    const shown = await this.deps.phones.reveal(member, which, turn.now, turn.requestId);
    if (shown.kind === 'unknownCase') {
      const caseNumber = 'caseNumber' in which ? which.caseNumber : '';
      return void turn.out.push({ type: 'text', text: staff.t(locale, 'phone.unknownCase', { caseNumber }) });
    }
    const { record } = shown;
    this.deps.logger.info({ caseNumber: record.caseNumber, userId: member.userId, shown: shown.kind === 'shown' }, 'household phone asked for');
    if (shown.kind === 'notAllowed') return void turn.out.push({ type: 'text', text: staff.t(locale, 'phone.notAllowed', { caseNumber: record.caseNumber }) });
    const head = quoteUserText(record.household.head, QUOTE_LIMITS.name);
    turn.out.push({ type: 'text', text: staff.t(locale, 'phone.shown', { caseNumber: record.caseNumber, head, phone: shown.phone }) });
  }

  /**
   * 人工: the responsible staff are told who asked and where (nothing sensitive); the person stays in their flow.
   * Where the flow's answers do not say yet, the household's latest case does (looked up by its declarant);
   * that case is returned.
   */
  private async handover(turn: Turn, during: { flowId: string; answers: Answers } | undefined): Promise<CaseRecord | undefined> {
    const { org, texts } = this.deps;
    const answers = during?.answers ?? {};
    const [latest] = turn.from.channel === 'kf' ? await this.deps.caseRepo.declaredBy(turn.person) : [];
    const answered = [answers.group, answers.village, answers.township].find((a): a is string => typeof a === 'string' && !!org.area(a));
    const area = answered ?? (latest ? (latest.area.group ?? latest.area.village) : undefined);
    const staff = this.responsibleStaff(area);
    const place = area ? org.placeName(area) : texts.t(DEFAULT_LOCALE, 'cases:handover.unknownPlace');
    const head = typeof answers.householdHead === 'string' ? answers.householdHead : latest?.household.head;
    const who = head !== undefined ? quoteUserText(head, QUOTE_LIMITS.name) : texts.t(DEFAULT_LOCALE, 'cases:handover.unknownPerson');
    let text: string;
    if (during) text = texts.t(DEFAULT_LOCALE, 'cases:handover.staff', { who, place, flow: texts.t(DEFAULT_LOCALE, `cases:flowName.${during.flowId}`) });
    else if (latest) text = texts.t(DEFAULT_LOCALE, 'cases:handover.staffCase', { who, place, caseNumber: latest.caseNumber });
    else text = texts.t(DEFAULT_LOCALE, 'cases:handover.staffNoFlow', { who, place });
    this.deps.logger.info({ area: area ?? null, staff: staff.length }, 'handover requested');
    for (const member of staff) {
      await this.deps.outbox.enqueue(messagesTo(`handover:${turn.requestId}:${member.userId}`, 'notice', { channel: 'app', userId: member.userId }, [{ type: 'text', text }]));
    }
    return latest;
  }

  /** Cadres of the village (or group), else the township's reviewers, else the county's approvers. */
  private responsibleStaff(area: string | undefined) {
    const { org } = this.deps;
    const village = area ? org.lineage(area).find((a) => a.level === 'village') : undefined;
    const township = area ? org.lineage(area).find((a) => a.level === 'township') : undefined;
    const cadres = village ? org.staffServing(village.code, 'cadre') : [];
    if (cadres.length) return cadres;
    const reviewers = township ? org.staffServing(township.code, 'townshipReviewer') : [];
    return reviewers.length ? reviewers : org.staffServing(org.file.county.code, 'countyApprover');
  }

  /** Whom a household stuck on a question can call: a cadre of their village with a phone, else the county contact. */
  private contactVars(answers: Answers): Vars {
    const village = typeof answers.village === 'string' ? answers.village : undefined;
    const cadre = village ? this.deps.org.staffServing(village, 'cadre').find((m) => m.phone) : undefined;
    return cadre?.phone ? { contactName: cadre.name, contactPhone: cadre.phone } : { contactName: this.deps.org.contact.name, contactPhone: this.deps.org.contact.phone };
  }

  private endSlot(turn: Turn, slotId: string): void {
    delete turn.state.slots[slotId];
    if (turn.state.active === slotId) delete turn.state.active;
  }
}

/** A staff member stuck on a question is told how to go on, not to ask their family or the county's hotline. */
function staffWording(from: Address, outbound: EngineOutbound): EngineOutbound {
  return from.channel === 'app' && outbound.key === 'engine:tooManyFailures' ? { ...outbound, key: 'engine:tooManyFailuresStaff' } : outbound;
}
