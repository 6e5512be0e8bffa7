import { z } from 'zod';
import { answerOf, type Answers } from '../events.js';
import { resolveKey } from '../normalise.js';
import { fieldNameSchema } from './common.js';
import type { StepDef } from './step-def.js';

export const appendStepSchema = z.strictObject({
  type: z.literal('append'),
  /** The list the item is added to (a list of JSON objects). */
  field: fieldNameSchema,
  /** The answers the item is made of; they are cleared, so the questions are asked afresh for the next item. */
  take: z.array(fieldNameSchema).min(1).max(10),
  /** Text key of one item in a review; its variables are `n` and the taken fields as shown. */
  label: z.string().min(1),
  next: z.string().min(1),
});

/**
 * Adds an item made of answers already given to a list, and goes on without waiting: the way a form takes
 * "one or more" of something (a measure = category + content + unit), looping back through its questions.
 * 返回 from the question after it takes the item back out and restores its answers.
 * @example { "type": "append", "field": "measures", "take": ["measureCategory", "measureContent", "measureUnit"], "label": "label.measure", "next": "ask_more" }
 */
export type AppendStep = z.infer<typeof appendStepSchema>;

/** The items of a list field, parsed; unreadable items are skipped. */
export function listItems(value: unknown): Answers[] {
  return (Array.isArray(value) ? value : []).flatMap((item) => {
    try {
      const parsed: unknown = JSON.parse(String(item));
      return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? [parsed as Answers] : [];
    } catch {
      return [];
    }
  });
}

export const appendStep: StepDef<AppendStep> = {
  type: 'append',
  schema: appendStepSchema,
  waits: false,
  enter(step, c) {
    const item: Answers = {};
    for (const field of step.take) {
      const value = answerOf(c.answers, field);
      if (value !== undefined) item[field] = value;
    }
    const list = answerOf(c.answers, step.field);
    const items = Array.isArray(list) ? list : [];
    return { kind: 'next', goto: step.next, set: { [step.field]: [...items, JSON.stringify(item)] }, unset: step.take };
  },
  answer: () => ({ kind: 'invalid', reason: 'engine:invalid.ended' }),
  keys: (step) => [step.label],
  targets: (step) => [{ path: 'next', target: step.next }],
  check: () => [],
  display(step, value, c) {
    const items = listItems(value).map((item, i) => {
      const vars: Record<string, string | number> = { n: i + 1 };
      for (const field of step.take) vars[field] = c.displayValue(field, item[field]) ?? '';
      return { key: resolveKey(c.namespace, step.label), vars };
    });
    return { items };
  },
};
