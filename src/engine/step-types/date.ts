import { z } from 'zod';
import { shanghaiDate, type IsoDate } from '../../policy/dates.js';
import { answerOf, say, type EngineChoice } from '../events.js';
import { normaliseWord, resolveKey } from '../normalise.js';
import { readDate, type DateLeaning } from '../read-date.js';
import { readSmallTalk } from '../small-talk.js';
import { askFields, askKeys, askTargets, fieldNameSchema } from './common.js';
import { readYesNo } from './confirm.js';
import type { AnswerOutcome, StepContext, StepDef, StepProblem } from './step-def.js';

/** A bound of a date: `today`, or the name of an answer field holding a 'YYYY-MM-DD' date (a context value passed in `answers`). */
const boundSchema = z.union([z.literal('today'), fieldNameSchema]);

export const dateStepSchema = z.strictObject({
  type: z.literal('date'),
  ...askFields,
  notAfter: boundSchema.optional(),
  /** Text key naming the `notAfter` field in a re-ask ("发现线索的日期"); required when it names a field. */
  notAfterLabel: z.string().optional(),
  notBefore: boundSchema.optional(),
  notBeforeLabel: z.string().optional(),
  /** `today`: offered as a one-tap choice, and a bare "今天"/"是"/"好" accepts it. */
  default: z.literal('today').optional(),
});

/**
 * Ask for a calendar date; stores 'YYYY-MM-DD' (the Asia/Shanghai date). Reads "今天", "昨天", "前天", "3号",
 * "12月3日", "12.3", "2026-12-03", "2026年12月3日", "上周三", full-width digits; a date whose year or month was
 * not typed is said back. Bounds are re-asked with the date they name ("不能早于发现线索的日期 2026年11月22日").
 * @example { "type": "date", "prompt": "ask_visit_date", "field": "visitDate", "notAfter": "today", "notBefore": "leadDate",
 *   "notBeforeLabel": "label.leadDate", "default": "today", "next": "ask_findings" }
 */
export type DateStep = z.infer<typeof dateStepSchema>;

/** The id of the one-tap "今天" menu item. */
export const TODAY_CHOICE_ID = 'today';

/** The date a bound names now: today, or the date stored in the named field (none when that field holds no date). */
function boundDate(bound: string | undefined, today: IsoDate, c: StepContext): IsoDate | undefined {
  if (bound === undefined) return undefined;
  if (bound === 'today') return today;
  const value = answerOf(c.answers, bound);
  return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) ? value : undefined;
}

const dateVars = (date: IsoDate) => ({ year: Number(date.slice(0, 4)), month: Number(date.slice(5, 7)), day: Number(date.slice(8, 10)) });

/**
 * Whether a reply takes the offered default: its tap, its number where choices are listed as text ("1. 今天" in
 * the app: a bare "1" is no date), or "是"/"好"/"嗯" ("今天" itself is read as a date anyway).
 */
function takesDefault(text: string, menuId: string | undefined): boolean {
  if (menuId !== undefined) return menuId === TODAY_CHOICE_ID;
  const word = normaliseWord(text);
  if (word === '1') return true;
  if (/\d/.test(word)) return false;
  return readYesNo(text) === true || readSmallTalk(text) === 'ack';
}

function outOfBounds(step: DateStep, date: IsoDate, today: IsoDate, c: StepContext): AnswerOutcome | undefined {
  const after = boundDate(step.notAfter, today, c);
  if (after !== undefined && date > after) {
    if (step.notAfter === 'today') return { kind: 'invalid', reason: 'engine:invalid.date.afterToday', vars: dateVars(after) };
    return { kind: 'invalid', reason: 'engine:invalid.date.tooLate', vars: { ...dateVars(after), boundKey: resolveKey(c.namespace, step.notAfterLabel ?? '') } };
  }
  const before = boundDate(step.notBefore, today, c);
  if (before !== undefined && date < before) {
    if (step.notBefore === 'today') return { kind: 'invalid', reason: 'engine:invalid.date.beforeToday', vars: dateVars(before) };
    return { kind: 'invalid', reason: 'engine:invalid.date.tooEarly', vars: { ...dateVars(before), boundKey: resolveKey(c.namespace, step.notBeforeLabel ?? '') } };
  }
  return undefined;
}

function leaningOf(step: DateStep): DateLeaning {
  if (step.notAfter === 'today' && step.notBefore !== 'today') return 'past';
  if (step.notBefore === 'today' && step.notAfter !== 'today') return 'future';
  return 'nearest';
}

export const dateStep: StepDef<DateStep> = {
  type: 'date',
  schema: dateStepSchema,
  waits: true,
  enter(step, c) {
    const key = resolveKey(c.namespace, step.prompt);
    if (step.default !== 'today') return { kind: 'ask', outbound: { type: 'text', key, vars: {} } };
    const choices: EngineChoice[] = [{ id: TODAY_CHOICE_ID, labelKey: 'engine:date.today' }];
    return { kind: 'ask', outbound: { type: 'choices', key, vars: {}, choices } };
  },
  answer(step, input, c): AnswerOutcome {
    const today = shanghaiDate(c.now);
    if (step.default === 'today' && takesDefault(input.text, input.menuId)) {
      return outOfBounds(step, today, today, c) ?? { kind: 'answer', value: today };
    }
    const r = readDate(input.text, today, leaningOf(step));
    if (!r.ok) return { kind: 'invalid', reason: `engine:invalid.${r.reason}` };
    const refused = outOfBounds(step, r.date, today, c);
    if (refused) return refused;
    return { kind: 'answer', value: r.date, events: r.inferred ? [say('engine:date.understood', dateVars(r.date))] : [] };
  },
  keys: (step) => [...askKeys(step), ...(step.notAfterLabel ? [step.notAfterLabel] : []), ...(step.notBeforeLabel ? [step.notBeforeLabel] : [])],
  targets: askTargets,
  check(step) {
    const problems: StepProblem[] = [];
    if (step.notAfter && step.notAfter !== 'today' && !step.notAfterLabel) problems.push({ path: 'notAfterLabel', message: `needed to name "${step.notAfter}" in a re-ask` });
    if (step.notBefore && step.notBefore !== 'today' && !step.notBeforeLabel) problems.push({ path: 'notBeforeLabel', message: `needed to name "${step.notBefore}" in a re-ask` });
    return problems;
  },
  display: (_step, value) => {
    const date = String(value);
    return /^\d{4}-\d{2}-\d{2}$/.test(date) ? { valueKey: 'engine:date.shown', vars: dateVars(date) } : { value: date };
  },
};
