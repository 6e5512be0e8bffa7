/**
 * The engine: a pure function of (flow, state, input, now, ctx) returning { state, events, status }.
 * It never sends, stores, sleeps or reads the clock; the conversation service applies the events.
 */
import { answerOf, say, type AnswerValue, type Answers, type EngineEvent, type EngineOutbound } from './events.js';
import { stepAt, type Flow } from './flow-schema.js';
import { normaliseWord, resolveKey } from './normalise.js';
import { firstUnanswered, numbered } from './progress.js';
import { readSmallTalk, type SmallTalk } from './small-talk.js';
import { ENGINE_STATE_VERSION, engineInputSchema, type EngineInput, type EngineState, type EngineStatus } from './state.js';
import { matchBranch } from './step-types/common.js';
import { listItems } from './step-types/append.js';
import { stepDef, type RunContext, type Step, type StepContext } from './step-types/index.js';
import { fieldOf } from './validate-flow.js';

/** Most steps one turn may enter before the run fails (guards against loops in a flow). */
export const MAX_STEPS_PER_TURN = 50;
/** After this many consecutive wrong answers at one step the bot offers help instead of re-asking. */
export const MAX_FAILURES = 3;

/**
 * The result of one turn. `state` is null only when there was none to work with.
 * @example { "status": "waiting", "state": { "v": 1, "stepId": "ask_phone" }, "events": [{ "type": "wait_started", "stepId": "ask_phone" }] }
 */
export interface TurnResult {
  state: EngineState | null;
  events: EngineEvent[];
  status: EngineStatus;
}

/** Words that work at any waiting step, before the step sees the input. */
export type GlobalCommand = 'help' | 'back' | 'restart' | 'cancel' | 'handover';

/** A Map, not an object: typed words must never find an inherited property ("constructor", "__proto__"). */
const GLOBAL_WORDS: ReadonlyMap<string, GlobalCommand> = new Map<string, GlobalCommand>([
  ['帮助', 'help'], ['help', 'help'],
  ['返回', 'back'], ['上一步', 'back'], ['back', 'back'],
  ['重新开始', 'restart'], ['重来', 'restart'], ['restart', 'restart'],
  ['取消', 'cancel'], ['退出', 'cancel'], ['cancel', 'cancel'],
  ['人工', 'handover'], ['转人工', 'handover'], ['找人工', 'handover'], ['person', 'handover'], ['human', 'handover'],
]);

/** The global command a typed text means, if any. @example readGlobalWord("返回！") === "back" */
export function readGlobalWord(text: string): GlobalCommand | undefined {
  return GLOBAL_WORDS.get(normaliseWord(text));
}

interface Turn {
  flow: Flow;
  state: EngineState;
  events: EngineEvent[];
  now: Date;
  ctx: RunContext;
}

function fieldStep(flow: Flow, field: string): string | undefined {
  return Object.entries(flow.steps).find(([id, s]) => s.type !== 'review' && stepDef(s).waits && fieldOf(id, s) === field)?.[0];
}

/** The step whose display shows a field: the one asking it, or the append step building it. */
function displayStep(flow: Flow, field: string): string | undefined {
  return fieldStep(flow, field) ?? Object.entries(flow.steps).find(([, s]) => s.type === 'append' && s.field === field)?.[0];
}

function stepContext(t: Turn, stepId: string): StepContext {
  return {
    stepId,
    namespace: t.flow.namespace,
    answers: t.state.answers,
    now: t.now,
    run: t.ctx,
    stepOfField: (field) => fieldStep(t.flow, field),
    displayOf(field) {
      const id = displayStep(t.flow, field);
      const value = answerOf(t.state.answers, field);
      const s = id ? stepAt(t.flow, id) : undefined;
      return s && id && value !== undefined ? stepDef(s).display(s, value, stepContext(t, id)) : undefined;
    },
    displayValue(field, value) {
      const id = fieldStep(t.flow, field);
      const s = id ? stepAt(t.flow, id) : undefined;
      if (!s || !id || value === undefined) return undefined;
      const shown = stepDef(s).display(s, value, stepContext(t, id));
      return 'value' in shown && typeof shown.value === 'string' ? shown.value : undefined;
    },
  };
}

function fail(t: Turn, code: string, detail?: string): TurnResult {
  t.events.push({ type: 'failure', code, ...(detail !== undefined ? { detail } : {}) });
  return { state: t.state, events: t.events, status: 'failed' };
}

function waiting(t: Turn): TurnResult {
  t.events.push({ type: 'wait_started', stepId: t.state.stepId });
  return { state: t.state, events: t.events, status: 'waiting' };
}

/** A question as sent: numbered when the flow asks for it, except while changing an answer from the review. */
function present(t: Turn, stepId: string, outbound: EngineOutbound): EngineOutbound {
  return t.flow.numberSteps && !t.state.returnTo ? numbered(t.flow, t.state.answers, stepId, outbound) : outbound;
}

/** Enters `target` and follows the flow until a step waits or the flow ends. */
function enter(t: Turn, target: string): TurnResult {
  const max = t.ctx.maxStepsPerTurn ?? MAX_STEPS_PER_TURN;
  for (let count = 0, next = target; count < max; count++) {
    const s = stepAt(t.flow, next);
    if (!s) return fail(t, 'step.unknown', next);
    if (next !== t.state.stepId) t.state.failures = 0;
    t.state.stepId = next;
    const out = stepDef(s).enter(s, stepContext(t, next));
    if (out.kind === 'ask') {
      t.events.push({ type: 'message', outbound: present(t, next, out.outbound) });
      return waiting(t);
    }
    if (out.kind === 'next') {
      // A step that only changes answers (append) and goes on; it is part of the way back for 返回.
      for (const [field, value] of Object.entries(out.set)) t.state.answers[field] = value;
      for (const field of out.unset) delete t.state.answers[field];
      next = out.goto;
      continue;
    }
    t.events.push(...out.events);
    return { state: t.state, events: t.events, status: 'completed' };
  }
  return fail(t, 'maxStepsPerTurn', String(max));
}

/**
 * Going back to `stepId` from beyond an append step it leads to: the item that step added is taken out again
 * and its answers restored, so the question is answered again rather than the item added twice.
 */
function undoAppendAfter(t: Turn, stepId: string): void {
  const from = stepAt(t.flow, stepId);
  const nextId = from && 'next' in from && typeof from.next === 'string' ? from.next : undefined;
  const via = nextId ? stepAt(t.flow, nextId) : undefined;
  if (via?.type !== 'append') return;
  const list = answerOf(t.state.answers, via.field);
  if (!Array.isArray(list) || list.length === 0) return;
  const [last] = listItems([list[list.length - 1]]);
  t.state.answers[via.field] = list.slice(0, -1);
  for (const [field, value] of Object.entries(last ?? {})) if (via.take.includes(field)) t.state.answers[field] = value;
}

/** Shows the current question again (after help, a wrong answer, a reminder). */
function reask(t: Turn): TurnResult {
  const s = stepAt(t.flow, t.state.stepId);
  if (!s) return fail(t, 'step.unknown', t.state.stepId);
  const out = stepDef(s).enter(s, stepContext(t, t.state.stepId));
  if (out.kind !== 'ask') return fail(t, 'state.notWaiting', t.state.stepId);
  t.events.push({ type: 'message', outbound: present(t, t.state.stepId, out.outbound) });
  return waiting(t);
}

function freshState(flow: Flow, now: Date, given: Answers = {}): EngineState {
  const at = now.toISOString();
  // Field names were checked by the input schema (never "__proto__"); copied as own properties.
  const answers: Answers = Object.fromEntries(Object.entries(given).map(([k, v]) => [k, structuredClone(v)]));
  const kept = Object.keys(given).length > 0 ? { given: structuredClone(answers) } : {};
  return { v: ENGINE_STATE_VERSION, flowId: flow.id, flowVersion: flow.version, stepId: flow.start, answers, history: [], failures: 0, ...kept, startedAt: at, updatedAt: at };
}

/** Small talk instead of an answer: a friendly line, then the question again; it is not a wrong answer. */
function smallTalk(t: Turn, talk: SmallTalk): TurnResult {
  t.events.push(say(`engine:smallTalk.${talk}`));
  return reask(t);
}

function runGlobal(t: Turn, command: GlobalCommand, current: Step): TurnResult {
  switch (command) {
    case 'help': {
      const help = 'help' in current && current.help ? resolveKey(t.flow.namespace, current.help) : 'engine:help';
      t.events.push(say(help));
      return reask(t);
    }
    case 'back': {
      const previous = t.state.history.pop();
      if (previous === undefined) {
        t.events.push(say('engine:back.atStart'));
        return reask(t);
      }
      if (previous === t.state.returnTo) delete t.state.returnTo;
      undoAppendAfter(t, previous);
      return enter(t, previous);
    }
    case 'restart':
      t.state = { ...freshState(t.flow, t.now, t.state.given), startedAt: t.state.startedAt };
      t.events.push(say('engine:restarted'));
      return enter(t, t.flow.start);
    case 'cancel':
      t.events.push(say(t.flow.cancelled ? resolveKey(t.flow.namespace, t.flow.cancelled) : 'engine:cancelled'), { type: 'flow_ended', reason: 'cancelled' });
      return { state: t.state, events: t.events, status: 'completed' };
    case 'handover':
      t.events.push({ type: 'handover', stepId: t.state.stepId }, say('engine:handover'));
      return waiting(t);
  }
}

/** Stores an answer; a changed answer clears the answers that depend on it (`clears`). */
function storeAnswer(t: Turn, current: Step, field: string, value: AnswerValue): void {
  const before = answerOf(t.state.answers, field);
  t.state.answers[field] = value;
  const changed = before !== undefined && JSON.stringify(before) !== JSON.stringify(value);
  if (changed && 'clears' in current) for (const f of current.clears ?? []) delete t.state.answers[f];
}

/** Whether `stepId` is a waiting step whose answer is missing. */
function needsAnswer(t: Turn, stepId: string): boolean {
  const s = stepAt(t.flow, stepId);
  return !!s && s.type !== 'review' && stepDef(s).waits && answerOf(t.state.answers, fieldOf(stepId, s)) === undefined;
}

function answer(t: Turn, current: Step, input: { text: string; menuId?: string }, talk: SmallTalk | undefined): TurnResult {
  const stepId = t.state.stepId;
  const out = stepDef(current).answer(current, input, stepContext(t, stepId));
  switch (out.kind) {
    case 'smallTalk':
      return smallTalk(t, out.talk);
    case 'invalid': {
      // "好的" or "嗯" that the step cannot take as its answer was only an acknowledgement.
      if (talk) return smallTalk(t, talk);
      const late = lateTextStep(t, current, input);
      if (late) {
        // More of the story just finished: added there (the household sees it gathered), then back to this question.
        t.state.history.push(stepId);
        t.state.returnTo = stepId;
        t.state.stepId = late.id;
        return answer(t, late.step, input, undefined);
      }
      t.state.failures += 1;
      t.events.push(say(out.reason, out.vars ?? {}));
      if (t.state.failures % MAX_FAILURES !== 0) return reask(t);
      t.events.push(say('engine:tooManyFailures'));
      return waiting(t);
    }
    case 'end':
      t.events.push(...out.events);
      return { state: t.state, events: t.events, status: 'completed' };
    case 'partial': {
      const field = fieldOf(stepId, current);
      if (out.value === null) delete t.state.answers[field];
      else t.state.answers[field] = out.value;
      t.state.failures = 0;
      t.events.push(...out.events);
      return out.value === null ? reask(t) : waiting(t);
    }
    case 'change':
      t.state.history.push(stepId);
      t.state.returnTo = stepId;
      return enter(t, out.goto);
    case 'answer': {
      // Submitting a review while a question on the way has no answer (cleared with 重新说, then 返回): ask it first.
      const missing = current.type === 'review' ? firstUnanswered(t.flow, t.state.answers) : undefined;
      if (missing) {
        t.events.push(say('engine:review.missing'));
        t.state.history.push(stepId);
        t.state.returnTo = stepId;
        return enter(t, missing);
      }
      const field = fieldOf(stepId, current);
      if (out.value !== undefined) storeAnswer(t, current, field, out.value);
      t.events.push(...(out.events ?? []));
      t.state.history.push(stepId);
      if (t.state.returnTo === stepId) delete t.state.returnTo;
      if (out.goto) {
        delete t.state.returnTo;
        return enter(t, out.goto);
      }
      const branch = 'branches' in current ? matchBranch(current.branches, field, t.state.answers) : undefined;
      const onward = branch?.next ?? ('next' in current ? current.next : undefined);
      if (t.state.returnTo) {
        // Changing an answer from a review: go on while the way ahead asks something not yet answered
        // (a village after a new township, the ⑭ reason after choosing ⑭), then back to the review.
        // A list item answered afresh (a measure's category, content and unit) is added by the append step
        // after them, which goes on to its own question ("还要添加吗"): not dropped on the way back.
        if (onward && (needsAnswer(t, onward) || stepAt(t.flow, onward)?.type === 'append')) return enter(t, onward);
        const back = t.state.returnTo;
        delete t.state.returnTo;
        return enter(t, back);
      }
      return onward ? enter(t, onward) : fail(t, 'route.noMatch', stepId);
    }
  }
}

/** Sentences this long or longer, not a yes or no, are taken as story rather than a wrong answer. */
const LATE_TEXT_MIN_CHARS = 6;

/**
 * The gathering step a message belongs to when it came right after 说完了 (`lateTextTo` on the question after it):
 * the first reply to this question, typed, a sentence rather than a word.
 */
function lateTextStep(t: Turn, current: Step, input: { text: string; menuId?: string }): { id: string; step: Step } | undefined {
  const id = 'lateTextTo' in current ? current.lateTextTo : undefined;
  if (!id || input.menuId !== undefined || t.state.failures > 0 || t.state.history.at(-1) !== id) return undefined;
  if ([...input.text.trim()].length < LATE_TEXT_MIN_CHARS) return undefined;
  const step = stepAt(t.flow, id);
  return step ? { id, step } : undefined;
}

/** Runs one turn of `flow`. Inputs are parsed with zod; flow failures come back as a `failure` event and status `failed`. */
export function step(flow: Flow, state: EngineState | undefined, rawInput: EngineInput, now: Date, ctx: RunContext = {}): TurnResult {
  const parsed = engineInputSchema.safeParse(rawInput);
  const t: Turn = { flow, state: state ? structuredClone(state) : freshState(flow, now), events: [], now, ctx };
  if (!parsed.success) return fail(t, 'input.invalid');
  const input = parsed.data;
  if (input.type === 'start') {
    t.state = freshState(flow, now, input.answers);
    if (flow.intro) t.events.push(say(resolveKey(flow.namespace, flow.intro)));
    return enter(t, flow.start);
  }
  if (!state) return { ...fail(t, 'state.missing'), state: null };
  if (state.v !== ENGINE_STATE_VERSION || state.flowId !== flow.id || state.flowVersion !== flow.version) {
    return fail(t, 'state.mismatch', `${state.flowId}@${state.flowVersion} v${state.v}`);
  }
  t.state.updatedAt = now.toISOString();
  const current = stepAt(flow, state.stepId);
  if (!current || !stepDef(current).waits) return fail(t, 'state.notWaiting', state.stepId);
  if (input.type === 'expired') {
    t.events.push(say('engine:expired'), { type: 'flow_ended', reason: 'expired' });
    return { state: t.state, events: t.events, status: 'completed' };
  }
  if (input.type === 'timeout') t.events.push(say('engine:reminder'));
  if (input.type === 'timeout' || input.type === 'repeat') return reask(t);
  const command = input.menuId ? undefined : readGlobalWord(input.text);
  if (command) return runGlobal(t, command, current);
  // A greeting or thanks is never an answer; "好的"/"嗯" may be one (yes at a confirm), so the step sees it first.
  const talk = input.menuId ? undefined : readSmallTalk(input.text);
  if (talk === 'greeting' || talk === 'thanks') return smallTalk(t, talk);
  return answer(t, current, input, talk);
}
