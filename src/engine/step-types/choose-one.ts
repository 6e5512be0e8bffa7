import { z } from 'zod';
import { askFields, askKeys, askTargets } from './common.js';
import { askChoices, checkChoices, choiceFields, choiceKeys, displayChoices, matchOption, menuPick, optionsOrRefusal } from './choices.js';
import type { StepDef } from './step-def.js';

export const chooseOneStepSchema = z.strictObject({ type: z.literal('chooseOne'), ...askFields, ...choiceFields });

/**
 * Choose one option; shown as a 微信客服 menu where the channel allows. Stores the option id.
 * @example { "type": "chooseOne", "prompt": "ask_township", "field": "township", "optionsFrom": "townships", "next": "ask_village" }
 */
export type ChooseOneStep = z.infer<typeof chooseOneStepSchema>;

export const chooseOneStep: StepDef<ChooseOneStep> = {
  type: 'chooseOne',
  schema: chooseOneStepSchema,
  waits: true,
  enter: askChoices,
  answer(step, input, c) {
    const options = optionsOrRefusal(step, c);
    if (!Array.isArray(options)) return options;
    const byMenu = menuPick(options, input.menuId);
    const m = byMenu ? { ok: true as const, option: byMenu } : matchOption(input.text, options);
    return m.ok ? { kind: 'answer', value: m.option.id } : { kind: 'invalid', reason: m.reason, vars: m.vars };
  },
  keys: (step) => [...askKeys(step), ...choiceKeys(step)],
  targets: askTargets,
  check: (step, c) => checkChoices(step, c.optionSources),
  display: (step, value, c) => displayChoices(step, [String(value)], c),
};
