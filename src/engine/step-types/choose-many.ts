import { z } from 'zod';
import { answerOf } from '../events.js';
import { normaliseWord, resolveKey } from '../normalise.js';
import { askFields, askKeys, askTargets } from './common.js';
import { canon, ordinalOf, readMany } from './choice-reading.js';
import {
  askChoices, checkChoices, choiceFields, choiceKeys, displayChoices, KEEP_CHOICE_ID, menuPick, optionsOrRefusal, resolveOptions, typedText, understood,
  type ResolvedOption,
} from './choices.js';
import { readYesNo } from './confirm.js';
import type { AnswerOutcome, EnterOutcome, StepContext, StepDef, StepProblem } from './step-def.js';

export const chooseManyStepSchema = z.strictObject({
  type: z.literal('chooseMany'),
  ...askFields,
  ...choiceFields,
  min: z.number().int().min(1).optional(),
  max: z.number().int().min(1).optional(),
});

/**
 * Choose one or more options: "1,3", "1、3", "1和3", "一、三", labels, or sentences naming options through their
 * keywords ("收入低 房子是危房"), which are said back. An `exclusive` option (e.g. 无) stands alone. Stores the ids
 * in option order. When the field already has an answer (prefilled, or 返回), it is shown, and "对"/"不变" keeps it.
 * @example { "type": "chooseMany", "prompt": "ask_risks", "field": "riskTypes",
 *   "options": [{ "id": "illness", "label": "risk.illness", "keywords": ["生病"] }, { "id": "other", "label": "risk.other" }], "next": "ask_guarantees" }
 */
export type ChooseManyStep = z.infer<typeof chooseManyStepSchema>;

/** Words that keep the choice shown. A Set, compared after normalising: never an inherited property. */
const KEEP_WORDS: ReadonlySet<string> = new Set(['不变', '不用改', '不改', '没变', '没有变', '保持', '保持不变', '还是这些', '就这些', '还是这样', 'keep', 'same', 'unchanged']);

/** The options already chosen for this step's field, if any. */
function current(step: ChooseManyStep, options: ResolvedOption[], c: StepContext): ResolvedOption[] {
  const value = answerOf(c.answers, step.field ?? c.stepId);
  const ids = Array.isArray(value) ? value : [];
  return options.filter((o) => ids.includes(o.id));
}

function keeps(text: string, menuId: string | undefined, count: number): boolean {
  if (menuId !== undefined) return menuId === KEEP_CHOICE_ID;
  const w = normaliseWord(text);
  // The keep item is shown after the options: its number means it too. A bare digit is otherwise a number, not a yes.
  if (/^\d+$/.test(canon(text))) return ordinalOf(text, count + 1) === count + 1;
  return KEEP_WORDS.has(w) || readYesNo(text) === true;
}

export const chooseManyStep: StepDef<ChooseManyStep> = {
  type: 'chooseMany',
  schema: chooseManyStepSchema,
  waits: true,
  enter(step, c): EnterOutcome {
    const ask = askChoices(step, c);
    const chosen = current(step, resolveOptions(step, c), c);
    if (ask.kind !== 'ask' || ask.outbound.type !== 'choices' || chosen.length === 0) return ask;
    const vars = { choiceKey: resolveKey(c.namespace, step.prompt), current: chosen.map((o) => o.text ?? o.id).join(' / ') };
    const choices = [...ask.outbound.choices, { id: KEEP_CHOICE_ID, labelKey: 'engine:choice.keep' }];
    return { kind: 'ask', outbound: { type: 'choices', key: 'engine:choice.current', vars, choices } };
  },
  answer(step, input, c): AnswerOutcome {
    const options = optionsOrRefusal(step, c);
    if (!Array.isArray(options)) return options;
    const chosenBefore = current(step, options, c);
    if (chosenBefore.length && keeps(input.text, input.menuId, options.length)) return { kind: 'answer', value: chosenBefore.map((o) => o.id) };
    const byMenu = menuPick(options, input.menuId);
    const r = byMenu ? { ok: true as const, options: [byMenu], free: false } : readMany(typedText(input), options);
    if (!r.ok) return { kind: 'invalid', reason: r.reason, vars: r.vars };
    const ids = r.options;
    if (ids.length < (step.min ?? 1)) return { kind: 'invalid', reason: 'engine:invalid.choice.tooFew', vars: { min: step.min ?? 1 } };
    if (step.max !== undefined && ids.length > step.max) return { kind: 'invalid', reason: 'engine:invalid.choice.tooMany', vars: { max: step.max } };
    const exclusive = ids.length > 1 ? ids.find((o) => o.exclusive) : undefined;
    if (exclusive) return { kind: 'invalid', reason: 'engine:invalid.choice.exclusive', vars: { answer: exclusive.text ?? exclusive.id } };
    return { kind: 'answer', value: ids.map((o) => o.id), events: r.free ? [understood(ids)] : [] };
  },
  keys: (step) => [...askKeys(step), ...choiceKeys(step)],
  targets: askTargets,
  check(step, c) {
    const problems: StepProblem[] = checkChoices(step, c.optionSources);
    if (step.min !== undefined && step.max !== undefined && step.min > step.max) problems.push({ path: 'min', message: `min ${step.min} is above max ${step.max}` });
    return problems;
  },
  display: (step, value, c) => displayChoices(step, Array.isArray(value) ? value : [String(value)], c),
};
