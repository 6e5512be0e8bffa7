import { z } from 'zod';
import { resolveKey } from '../normalise.js';
import { askFields, askKeys, askTargets } from './common.js';
import { checkChoices, choiceFields, choiceKeys, displayChoices, matchOption, resolveOptions } from './choices.js';
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
  enter(step, c) {
    const choices = resolveOptions(step, c).map((o) => o.choice);
    return { kind: 'ask', outbound: { type: 'choices', key: resolveKey(c.namespace, step.prompt), vars: {}, choices } };
  },
  answer(step, input, c) {
    const options = resolveOptions(step, c);
    if (options.length === 0) return { kind: 'invalid', reason: 'engine:invalid.choice.noOptions' };
    const byMenu = input.menuId ? options.find((o) => o.id === input.menuId) : undefined;
    const m = byMenu ? { ok: true as const, option: byMenu } : matchOption(input.text, options);
    return m.ok ? { kind: 'answer', value: m.option.id } : { kind: 'invalid', reason: m.reason, vars: m.vars };
  },
  keys: (step) => [...askKeys(step), ...choiceKeys(step)],
  targets: askTargets,
  check: (step, c) => checkChoices(step, c.optionSources),
  display: (step, value, c) => displayChoices(step, [String(value)], c),
};
