import type { z } from 'zod';
import type { AnswerValue, Answers, EndReason, EngineEvent, EngineOutbound, SummaryLine, Vars } from '../events.js';
import type { SmallTalk } from '../small-talk.js';

/** A choice from a dynamic source, e.g. the townships of the user's county. @example { "id": "t1", "label": "青山镇" } */
export interface DynamicOption {
  id: string;
  label: string;
  /** Stands alone (e.g. 都没有). */
  exclusive?: boolean;
  /** Words in a sentence that name it (e.g. 住院 → 因病). */
  keywords?: string[];
}

/**
 * What the caller supplies for one run besides flow, state, input and time. All pure functions.
 * @example { "text": "(key) => translated label", "options": { "townships": "(answers) => [{ id, label }]" } }
 */
export interface RunContext {
  /** The translated text of a key in the user's locale, used to match typed option labels. */
  text?: (key: string) => string | undefined;
  /** Dynamic option sources named by `optionsFrom`. */
  options?: Record<string, (answers: Answers) => DynamicOption[]>;
  /** Overrides MAX_STEPS_PER_TURN (tests only). */
  maxStepsPerTurn?: number;
}

/** What a step sees while it runs. */
export interface StepContext {
  stepId: string;
  namespace: string;
  answers: Answers;
  now: Date;
  run: RunContext;
  /** Display of the answer of a field, as the step asking it would show it. */
  displayOf(field: string): Omit<SummaryLine, 'labelKey'> | undefined;
  /** How a given value of a field shows, as plain text when the step asking it shows one (a list item's parts). */
  displayValue(field: string, value: AnswerValue | undefined): string | undefined;
  /** The step that asks a field. */
  stepOfField(field: string): string | undefined;
}

/** Result of entering a step: ask and wait, or end the flow. */
export type EnterOutcome =
  | { kind: 'ask'; outbound: EngineOutbound }
  | { kind: 'end'; events: EngineEvent[]; reason: EndReason }
  /** Change answers and go on to `goto` without waiting (append). */
  | { kind: 'next'; goto: string; set: Answers; unset: string[] };

/** Result of giving a waiting step the user's message. */
export type AnswerOutcome =
  | { kind: 'invalid'; reason: string; vars?: Vars }
  /** Store `value` (if any) and move on; `goto` overrides the step's routing. */
  | { kind: 'answer'; value?: AnswerValue; goto?: string; events?: EngineEvent[] }
  /** Keep `value` as the answer so far (null: none) and wait here again, saying `events` (a text gathered in pieces). */
  | { kind: 'partial'; value: AnswerValue | null; events: EngineEvent[] }
  /** Go to `goto` to change an answer, then come back here. */
  | { kind: 'change'; goto: string }
  /** Not an answer but small talk ("你好", "嗯" at a text question): a friendly line and the question again, no failure counted. */
  | { kind: 'smallTalk'; talk: SmallTalk }
  | { kind: 'end'; events: EngineEvent[]; reason: EndReason };

/** A reference from a step to another step, for validation. @example { "path": "onNo", "target": "declined" } */
export interface StepRef {
  path: string;
  target: string;
}

/** What validation knows besides the flow. */
export interface CheckContext {
  /** Names of dynamic option sources the service provides; unchecked when absent. */
  optionSources?: readonly string[];
  /** Names of the checks the service runs on an answer (`check`); unchecked when absent. */
  checks?: readonly string[];
  fields: ReadonlySet<string>;
}

/** A problem in one step found by the reference pass. @example { "path": "validator", "message": "unknown validator \"foo\"" } */
export interface StepProblem {
  path: string;
  message: string;
}

/** One step type, registered by `type` in step-types/index.ts. Methods are written as methods on purpose (bivariant). */
export interface StepDef<S extends { type: string }> {
  type: S['type'];
  schema: z.ZodType<S>;
  /** Whether the step waits for the user (and so needs a way forward). */
  waits: boolean;
  enter(step: S, c: StepContext): EnterOutcome;
  answer(step: S, input: { text: string; menuId?: string }, c: StepContext): AnswerOutcome;
  /** Text keys the step refers to, as written (relative to the flow namespace unless they contain ':'). */
  keys(step: S): string[];
  targets(step: S): StepRef[];
  check(step: S, c: CheckContext): StepProblem[];
  display(step: S, value: AnswerValue, c: StepContext): Omit<SummaryLine, 'labelKey'>;
}
