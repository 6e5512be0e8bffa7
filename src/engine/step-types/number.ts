import { z } from 'zod';
import { normaliseWord, resolveKey } from '../normalise.js';
import { askFields, askKeys, askTargets, parseInteger } from './common.js';
import type { AnswerOutcome, StepDef } from './step-def.js';

export const numberStepSchema = z.strictObject({
  type: z.literal('number'),
  ...askFields,
  min: z.number().int().optional(),
  max: z.number().int().optional(),
});

/**
 * Ask for a whole number: ASCII, full-width or Chinese numerals, English words, with or without a unit
 * ("3", "３", "三口", "3口人", "4个人", "一家四口", "我家有5口人", "three", "3 people").
 * @example { "type": "number", "prompt": "ask_size", "field": "householdSize", "min": 1, "max": 20, "next": "ask_risks" }
 */
export type NumberStep = z.infer<typeof numberStepSchema>;

const ENGLISH: ReadonlyMap<string, number> = new Map(
  ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve'].map((w, i) => [w, i] as const),
);
const UNIT = '(?:口人|个人|人|口|个|位|岁|people|persons|person)';

/** The one number a reply gives, if it gives exactly one: "一家四口" → 4, "3 people" → 3; "三四个" → undefined. */
export function readCount(text: string): number | undefined {
  const w = normaliseWord(text.normalize('NFKC'));
  const bare = w.replace(new RegExp(`${UNIT}$`, 'u'), '');
  const whole = parseInteger(bare) ?? ENGLISH.get(bare);
  if (whole !== undefined) return whole;
  const found = new Set<number>();
  for (const m of w.matchAll(new RegExp(`(\\d+|[零一二两三四五六七八九十]+|${[...ENGLISH.keys()].join('|')})${UNIT}`, 'gu'))) {
    const n = parseInteger(m[1]!) ?? ENGLISH.get(m[1]!);
    if (n === undefined) return undefined;
    found.add(n);
  }
  return found.size === 1 ? [...found][0] : undefined;
}

export const numberStep: StepDef<NumberStep> = {
  type: 'number',
  schema: numberStepSchema,
  waits: true,
  enter: (step, c) => ({ kind: 'ask', outbound: { type: 'text', key: resolveKey(c.namespace, step.prompt), vars: {} } }),
  answer(step, input): AnswerOutcome {
    const n = readCount(input.text);
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
