import { z } from 'zod';
import { say } from '../events.js';
import { resolveKey } from '../normalise.js';
import { readAmount } from '../read-amount.js';
import { askFields, askKeys, askTargets } from './common.js';
import type { AnswerOutcome, StepDef } from './step-def.js';

export const amountStepSchema = z.strictObject({
  type: z.literal('amount'),
  ...askFields,
  min: z.number().optional(),
  max: z.number().optional(),
  /** Text key of the unit said after the figure ("元", "人"), e.g. `unit.yuan`. */
  unit: z.string().optional(),
});

/**
 * Ask for a sum of money or a count; stores a number (up to 2 decimals). Reads "6千", "6000", "六千", "两千五",
 * "2千5", "3000元", "1.2万", "一万二", "￥3,000", full-width digits; what was written in words is said back
 * ("记为2500元"). "不知道" asks for an estimate, a range ("三四千") for one figure, "没有" for 0.
 * @example { "type": "amount", "prompt": "ask_monthly_cost", "field": "monthlyCost", "min": 0, "max": 1000000, "unit": "unit.yuan", "next": "review" }
 */
export type AmountStep = z.infer<typeof amountStepSchema>;

export const amountStep: StepDef<AmountStep> = {
  type: 'amount',
  schema: amountStepSchema,
  waits: true,
  enter: (step, c) => ({ kind: 'ask', outbound: { type: 'text', key: resolveKey(c.namespace, step.prompt), vars: {} } }),
  answer(step, input, c): AnswerOutcome {
    const r = readAmount(input.text);
    if (!r.ok) return { kind: 'invalid', reason: `engine:invalid.${r.reason}` };
    if (step.min !== undefined && r.value < step.min) return { kind: 'invalid', reason: 'engine:invalid.amount.tooSmall', vars: { min: step.min } };
    if (step.max !== undefined && r.value > step.max) return { kind: 'invalid', reason: 'engine:invalid.amount.tooLarge', vars: { max: step.max } };
    if (!r.worded) return { kind: 'answer', value: r.value };
    const echo = step.unit
      ? say('engine:amount.understoodUnit', { amount: r.value, unitKey: resolveKey(c.namespace, step.unit) })
      : say('engine:amount.understood', { amount: r.value });
    return { kind: 'answer', value: r.value, events: [echo] };
  },
  keys: (step) => [...askKeys(step), ...(step.unit ? [step.unit] : [])],
  targets: askTargets,
  check: (step) =>
    step.min !== undefined && step.max !== undefined && step.min > step.max ? [{ path: 'min', message: `min ${step.min} is above max ${step.max}` }] : [],
  display: (_step, value) => ({ value: String(value) }),
};
