import { z } from 'zod';
import { toHalfWidth, resolveKey } from '../normalise.js';
import { askFields, askKeys, askTargets, parseInteger } from './common.js';
import type { AnswerOutcome, StepDef } from './step-def.js';

export const numberStepSchema = z.strictObject({
  type: z.literal('number'),
  ...askFields,
  min: z.number().int().optional(),
  max: z.number().int().optional(),
});

/**
 * Ask for a whole number (ASCII, full-width or simple Chinese numerals; a trailing 人/口/个 is ignored).
 * @example { "type": "number", "prompt": "ask_size", "field": "householdSize", "min": 1, "max": 20, "next": "ask_risks" }
 */
export type NumberStep = z.infer<typeof numberStepSchema>;

export const numberStep: StepDef<NumberStep> = {
  type: 'number',
  schema: numberStepSchema,
  waits: true,
  enter: (step, c) => ({ kind: 'ask', outbound: { type: 'text', key: resolveKey(c.namespace, step.prompt), vars: {} } }),
  answer(step, input): AnswerOutcome {
    const n = parseInteger(toHalfWidth(input.text).replace(/\s*(口人|个人|人|口|个|位|岁)$/, ''));
    if (n === undefined) return { kind: 'invalid', reason: 'engine:invalid.number.notNumber' };
    if (step.min !== undefined && n < step.min) return { kind: 'invalid', reason: 'engine:invalid.number.tooSmall', vars: { min: step.min } };
    if (step.max !== undefined && n > step.max) return { kind: 'invalid', reason: 'engine:invalid.number.tooLarge', vars: { max: step.max } };
    return { kind: 'answer', value: n };
  },
  keys: askKeys,
  targets: askTargets,
  check: (step) =>
    step.min !== undefined && step.max !== undefined && step.min > step.max ? [{ path: 'min', message: `min ${step.min} is above max ${step.max}` }] : [],
  display: (_step, value) => ({ value: String(value) }),
};
