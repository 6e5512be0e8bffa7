import type { Locale } from '../i18n/i18n.js';
import type { FlowError } from './flow-error.js';
import { VALIDATOR_REASONS } from './validators/index.js';

/**
 * Every `engine:` text key the engine itself may emit; templates/<locale>/engine.json must hold them all.
 * Keys with variables: invalid.text.tooLong {max}, invalid.idNumber.length {length}, invalid.number.tooSmall {min},
 * invalid.number.tooLarge {max}, invalid.choice.outOfRange {max}, invalid.choice.noMatch/ambiguous {answer},
 * invalid.choice.ambiguousAmong/closest {answer, candidates}, invalid.choice.tooFew {min}, invalid.choice.tooMany {max},
 * invalid.choice.exclusive {answer}, invalid.review {max}, invalid.gather.tooLong {length, max, left},
 * invalid.date.* {year, month, day} (+ boundKey), invalid.amount.tooSmall {min} / tooLarge {max},
 * gather.added/addedNearLimit/resume {sofar, count} (+ left / gatherKey), choice.understood {answer},
 * choice.current {choiceKey, current}, date.understood {year, month, day}, amount.understood(Unit) {amount} (+ unitKey),
 * numbered {step, steps, numberedKey}.
 * A `…Key` variable names another text that the template nests with i18next's `$t({{…Key}})`: the question inside
 * "第3步/共12步：…", the bound's name inside "不能早于…"; the engine gives keys, never translated words.
 */
export const ENGINE_TEXT_KEYS: readonly string[] = [
  ...VALIDATOR_REASONS.map((r) => `engine:invalid.${r}`),
  ...['number.notNumber', 'number.tooSmall', 'number.tooLarge'].map((r) => `engine:invalid.${r}`),
  ...['outOfRange', 'noMatch', 'ambiguous', 'ambiguousAmong', 'closest', 'tooFew', 'tooMany', 'exclusive', 'noOptions'].map((r) => `engine:invalid.choice.${r}`),
  // choice.current nests the step's own prompt: `$t({{choiceKey}})`.
  ...['understood', 'current', 'keep'].map((k) => `engine:choice.${k}`),
  ...['notDate', 'notReal', 'afterToday', 'beforeToday', 'tooLate', 'tooEarly'].map((r) => `engine:invalid.date.${r}`),
  ...['notAmount', 'unknown', 'range', 'none', 'tooSmall', 'tooLarge'].map((r) => `engine:invalid.amount.${r}`),
  // date.tooLate/tooEarly and amount.understoodUnit nest a flow text: `$t({{boundKey}})`, `$t({{unitKey}})`.
  'engine:date.today',
  'engine:date.understood',
  'engine:date.shown',
  'engine:amount.understood',
  'engine:amount.understoodUnit',
  'engine:invalid.confirm',
  'engine:invalid.review',
  'engine:invalid.unknown',
  'engine:invalid.ended',
  'engine:confirm.yes',
  'engine:confirm.no',
  'engine:review.submit',
  'engine:review.missing',
  // Nests the question: `$t({{numberedKey}})` (flows with numberSteps).
  'engine:numbered',
  'engine:declined',
  'engine:help',
  'engine:back.atStart',
  'engine:restarted',
  'engine:cancelled',
  'engine:handover',
  'engine:tooManyFailures',
  'engine:reminder',
  'engine:expired',
  ...['greeting', 'thanks', 'ack'].map((k) => `engine:smallTalk.${k}`),
  // gather.resume nests the step's own prompt: `$t({{gatherKey}})`.
  ...['done', 'added', 'addedNearLimit', 'resume', 'cleared'].map((k) => `engine:gather.${k}`),
  ...['nothingYet', 'tooLong'].map((k) => `engine:invalid.gather.${k}`),
];

/** Errors for engine texts missing in any locale (checked once at boot, beside the flows). */
export function checkEngineTexts(locales: readonly Locale[], hasKey: (locale: Locale, key: string) => boolean): FlowError[] {
  return ENGINE_TEXT_KEYS.flatMap((key) => {
    const missing = locales.filter((l) => !hasKey(l, key));
    return missing.length ? [{ path: ['engine texts'], message: `missing text "${key}" in ${missing.join(', ')}` }] : [];
  });
}
