import { z } from 'zod';
import { normaliseWord, toHalfWidth } from '../normalise.js';
import { askFields, askKeys, askTargets } from './common.js';
import { askChoices, checkChoices, choiceFields, choiceKeys, displayChoices, matchOption, menuPick, optionsOrRefusal } from './choices.js';
import type { StepDef, StepProblem } from './step-def.js';

export const chooseManyStepSchema = z.strictObject({
  type: z.literal('chooseMany'),
  ...askFields,
  ...choiceFields,
  min: z.number().int().min(1).optional(),
  max: z.number().int().min(1).optional(),
});

/**
 * Choose one or more options: "1,3", "1、3", "１ ３" or labels. An `exclusive` option (e.g. 无) stands alone.
 * Stores the ids in option order. @example { "type": "chooseMany", "prompt": "ask_risks", "field": "riskTypes",
 *   "options": [{ "id": "illness", "label": "risk.illness" }, { "id": "other", "label": "risk.other" }], "next": "ask_guarantees" }
 */
export type ChooseManyStep = z.infer<typeof chooseManyStepSchema>;

/** "1,3" "1、3" "因病；其他" split at list punctuation; "1 3" at spaces too, but "none of these" stays one phrase. */
function tokens(text: string): string[] {
  const parts = toHalfWidth(text).split(/[,、;；]+/).map((t) => t.trim()).filter((t) => t !== '');
  const split = parts.flatMap((p) => (/^[\d\s]+$/.test(p) ? p.split(/\s+/) : [p]));
  return split.length ? split : [text];
}

export const chooseManyStep: StepDef<ChooseManyStep> = {
  type: 'chooseMany',
  schema: chooseManyStepSchema,
  waits: true,
  enter: askChoices,
  answer(step, input, c) {
    const options = optionsOrRefusal(step, c);
    if (!Array.isArray(options)) return options;
    const byMenu = menuPick(options, input.menuId);
    const typed = normaliseWord(input.text);
    const exact = options.find((o) => o.text !== undefined && normaliseWord(o.text) === typed);
    const chosen = new Set<string>();
    if (byMenu ?? exact) chosen.add((byMenu ?? exact)!.id);
    else {
      for (const token of tokens(input.text)) {
        const m = matchOption(token, options);
        if (!m.ok) return { kind: 'invalid', reason: m.reason, vars: m.vars };
        chosen.add(m.option.id);
      }
    }
    const ids = options.filter((o) => chosen.has(o.id));
    if (ids.length < (step.min ?? 1)) return { kind: 'invalid', reason: 'engine:invalid.choice.tooFew', vars: { min: step.min ?? 1 } };
    if (step.max !== undefined && ids.length > step.max) return { kind: 'invalid', reason: 'engine:invalid.choice.tooMany', vars: { max: step.max } };
    const exclusive = ids.length > 1 ? ids.find((o) => o.exclusive) : undefined;
    if (exclusive) return { kind: 'invalid', reason: 'engine:invalid.choice.exclusive', vars: { answer: exclusive.text ?? exclusive.id } };
    return { kind: 'answer', value: ids.map((o) => o.id) };
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
