import type { Outbound } from '../channel/messages.js';

/** One answer kept in the conversation state. @example ["illness", "disability"] */
export type AnswerValue = string | number | boolean | string[];

/** Answers by field name. @example { "name": "张三", "householdSize": 4 } */
export type Answers = Record<string, AnswerValue>;

/** The answer stored for a field, if any; an inherited property ("constructor") is no answer. */
export function answerOf(answers: Answers, field: string): AnswerValue | undefined {
  return Object.hasOwn(answers, field) ? answers[field] : undefined;
}

/** Interpolation variables of a text key. @example { "max": 20 } */
export type Vars = Record<string, string | number>;

/**
 * One choice shown to the user: a text key for static options, a ready label for dynamic ones.
 * @example { "id": "t1", "label": "青山镇" }
 */
export type EngineChoice = { id: string; labelKey: string } | { id: string; label: string };

/**
 * One line of a review summary: the field's label key and its value, as text or as label keys.
 * @example { "labelKey": "declaration:review.idNumber", "value": "4306**********1234" }
 */
export type SummaryLine =
  | { labelKey: string; value: string }
  | { labelKey: string; valueKeys: string[] }
  /** A value written with a text key and its variables (a date in the person's words). */
  | { labelKey: string; valueKey: string; vars: Vars }
  /** A list (append): one line per item, each a text key with its variables. */
  | { labelKey: string; items: { key: string; vars: Vars }[] };

/**
 * A message as the engine describes it: text keys plus variables. The conversation service translates
 * it into a channel `Outbound` (same `type` names) in the user's locale.
 * @example { "type": "choices", "key": "declaration:ask_township", "vars": {}, "choices": [{ "id": "t1", "label": "青山镇" }] }
 */
export type EngineOutbound =
  | { type: 'text'; key: string; vars: Vars }
  | { type: 'choices'; key: string; vars: Vars; choices: EngineChoice[]; lines?: SummaryLine[] };

/** Compile-time check: every engine message type is a channel message type. */
export const OUTBOUND_TYPES_MATCH: EngineOutbound['type'] extends Outbound['type'] ? true : never = true;

/** Why a flow ended. `expired` answers an `expired` input; the caller marks the conversation expired. */
export type EndReason = 'completed' | 'cancelled' | 'declined' | 'expired';

/**
 * What the engine asks the caller to do. The engine never sends, stores or schedules anything itself.
 * `check`: a step's answer (in `field`) is to be checked against what only the caller knows (an open case for
 * this ID number); it comes right after the answer, before the next question, and the caller may end the flow
 * there with its own message, dropping what follows.
 * @example { "type": "action", "name": "createCase", "data": { "name": "张三" } }
 * @example { "type": "check", "name": "openCase", "field": "idNumber" }
 */
export type EngineEvent =
  | { type: 'message'; outbound: EngineOutbound }
  | { type: 'check'; name: string; field: string }
  | { type: 'wait_started'; stepId: string }
  | { type: 'action'; name: string; data: Answers }
  | { type: 'flow_ended'; reason: EndReason }
  | { type: 'handover'; stepId: string }
  | { type: 'failure'; code: string; detail?: string };

/** A text message event. */
export function say(key: string, vars: Vars = {}): EngineEvent {
  return { type: 'message', outbound: { type: 'text', key, vars } };
}
