import { z } from 'zod';
import { toHalfWidth } from '../normalise.js';
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

export const chooseManyStep: StepDef<ChooseManyStep> = {
  type: 'chooseMany',
  schema: chooseManyStepSchema,
  waits: true,
  enter: askChoices,
  answer(step, input, c) {
    const options = optionsOrRefusal(step, c);
    if (!Array.isArray(options)) return options;
    const byMenu = menuPick(options, input.menuId);
    const whole = matchOption(input.text, options);
    const chosen = new Set<string>();
    if (byMenu) chosen.add(byMenu.id);
    else if (whole.ok && !/^\s*\d+\s*$/.test(input.text) && !/[,、;；\s]/.test(toHalfWidth(input.text))) chosen.add(whole.option.id);
    else {
      for (const token of toHalfWidth(input.text).split(/[,、;；\s]+/).filter((t) => t !== '')) {
        const m = matchOption(token, options);
        if (!m.ok) return { kind: 'invalid', reason: m.reason, vars: m.vars };
        chosen.add(m.option.id);
      }
    }
    const ids = options.filter((o) => chosen.has(o.id));
    if (ids.length < (step.min ?? 1)) return { kind: 'invalid', reason: 'engine:invalid.choice.tooFew', vars: { min: step.min ?? 1 } };
    if (step.max !== undefined && ids.length > step.max) return { kind: 'invalid', reason: 'engine:invalid.choice.tooMany', vars: { max: step.max } };
    if (ids.length > 1 && ids.some((o) => o.exclusive)) return { kind: 'invalid', reason: 'engine:invalid.choice.exclusive' };
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
