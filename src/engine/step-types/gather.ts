import { answerOf, type EngineOutbound } from '../events.js';
import { normaliseWord, resolveKey, toHalfWidth } from '../normalise.js';
import type { Validator } from '../validators/index.js';
import type { AnswerOutcome, StepContext } from './step-def.js';

/**
 * A text step with `gather: true` takes its answer in several messages ("打字或分几句说都可以"): each one is
 * added to what was said, the bot shows what it has and offers "说完了"; only then does the flow move on.
 * What is gathered so far is the field's answer, so 返回 or a restart of the service loses nothing.
 */

/** The id of the one-tap "说完了" menu item. */
export const GATHER_DONE_ID = 'done';

/** Words that end the gathering. A Set, compared after normalising: never an inherited property. */
const DONE_WORDS: ReadonlySet<string> = new Set([
  '说完了', '说完', '说完啦', '完了', '好了', '没有了', '没了', '就这些', '就这些了', '就这样', '就这样吧', '就这样了', '没有别的了',
  '写完了', '完毕', '结束', '说好了', 'done', 'finished', 'thatsall', 'thatsit',
]);
/** Words that throw away what was gathered, to say it all again (e.g. when changing it from the review). */
const RESTART_WORDS: ReadonlySet<string> = new Set(['重新说', '重说', '重写', '重新写', '清空', '全部重写', '全部重说', 'startover']);

/** How much of the gathered text the bot shows back: all of a short text, the end of a long one. */
const SHOWN_CHARS = 60;
/** From how many characters left on the bot says how many remain (a fifth of maxLength when that is less). */
const NEAR_LIMIT = 50;

type GatherStep = { prompt: string; field?: string; maxLength?: number };

function chars(s: string): number {
  return [...s].length;
}

/**
 * What the bot shows of the gathered text: all of a short one, the end of a long one. "$t(" becomes "＄t(": the
 * templates nest the question with i18next's `$t(…)`, and i18next stops nesting when a value brings its own.
 */
function shown(text: string): string {
  const all = [...text];
  const part = all.length <= SHOWN_CHARS ? text : `…${all.slice(-SHOWN_CHARS + 10).join('')}`;
  return part.replace(/\$t\(/gu, '＄t(');
}

/**
 * "老伴生病了" + "每月两千" → "老伴生病了。每月两千"; after Chinese punctuation nothing is added, after Latin punctuation
 * a space ("He had a stroke." + "We spent…" → "He had a stroke. We spent…").
 */
export function joinPieces(before: string, piece: string): string {
  if (/[。！？…；，、：]$/u.test(before)) return `${before}${piece}`;
  if (/[!?.;,:]$/u.test(before)) return `${before} ${piece}`;
  return /[\p{Script=Han}]$/u.test(before) ? `${before}。${piece}` : `${before}. ${piece}`;
}

function doneChoice() {
  return [{ id: GATHER_DONE_ID, labelKey: 'engine:gather.done' }];
}

/** Entering a gathering step that already holds text: the question, what was said, and "说完了". */
export function enterGather(step: GatherStep, draft: string | undefined, c: StepContext): EngineOutbound {
  const key = resolveKey(c.namespace, step.prompt);
  if (draft === undefined || draft === '') return { type: 'text', key, vars: {} };
  return { type: 'choices', key: 'engine:gather.resume', vars: { gatherKey: key, sofar: shown(draft), count: chars(draft) }, choices: doneChoice() };
}

/** The draft gathered so far for this step's field, if it is text. */
export function draftOf(field: string, c: StepContext): string | undefined {
  const value = answerOf(c.answers, field);
  return typeof value === 'string' ? value : undefined;
}

/** One message while gathering: "说完了" finishes, "重新说" clears, anything else is added (within maxLength). */
export function gatherAnswer(
  step: GatherStep,
  field: string,
  input: { text: string; menuId?: string },
  validator: Validator,
  c: StepContext,
): AnswerOutcome {
  const draft = draftOf(field, c);
  const word = normaliseWord(input.text);
  const max = step.maxLength ?? Number.MAX_SAFE_INTEGER;
  // The one menu item is 说完了: its number typed ("1") means it too, never a piece of the story.
  if (input.menuId === GATHER_DONE_ID || DONE_WORDS.has(word) || (draft && /^1$/u.test(toHalfWidth(input.text).trim()))) {
    return draft ? { kind: 'answer', value: draft } : { kind: 'invalid', reason: 'engine:invalid.gather.nothingYet' };
  }
  if (RESTART_WORDS.has(word)) return { kind: 'partial', value: null, events: [{ type: 'message', outbound: { type: 'text', key: 'engine:gather.cleared', vars: {} } }] };
  const piece = validator.validate(input.text, { maxLength: max }, c.now);
  if (!piece.ok) {
    if (piece.reason === 'text.tooLong' && draft) return tooLong(input.text, draft, max);
    return { kind: 'invalid', reason: `engine:invalid.${piece.reason}`, ...(piece.vars ? { vars: piece.vars } : {}) };
  }
  const combined = draft ? joinPieces(draft, piece.value) : piece.value;
  if (chars(combined) > max) return draft ? tooLong(piece.value, draft, max) : { kind: 'invalid', reason: 'engine:invalid.text.tooLong', vars: { max } };
  const left = max - chars(combined);
  const outbound: EngineOutbound = left <= Math.min(NEAR_LIMIT, Math.floor(max / 5))
    ? { type: 'choices', key: 'engine:gather.addedNearLimit', vars: { sofar: shown(combined), count: chars(combined), left }, choices: doneChoice() }
    : { type: 'choices', key: 'engine:gather.added', vars: { sofar: shown(combined), count: chars(combined) }, choices: doneChoice() };
  return { kind: 'partial', value: combined, events: [{ type: 'message', outbound }] };
}

function tooLong(piece: string, draft: string, max: number): AnswerOutcome {
  const left = Math.max(0, max - chars(draft) - 1);
  return { kind: 'invalid', reason: 'engine:invalid.gather.tooLong', vars: { length: chars(piece.trim()), max, left } };
}
