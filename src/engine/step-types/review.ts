import { z } from 'zod';
import type { EngineChoice, SummaryLine } from '../events.js';
import { normaliseWord, resolveKey } from '../normalise.js';
import { fieldNameSchema } from './common.js';
import { readYesNo } from './confirm.js';
import type { StepContext, StepDef, StepProblem } from './step-def.js';

export const reviewStepSchema = z.strictObject({
  type: z.literal('review'),
  prompt: z.string().min(1),
  help: z.string().optional(),
  /** The answers shown, each with its label key; `step` is the step that asks it (found by field when absent). */
  fields: z.array(z.strictObject({ field: fieldNameSchema, label: z.string().min(1), step: z.string().optional() })).min(1),
  next: z.string().min(1),
});

/**
 * Show a summary; choice 1 (or yes/确认) submits, choice 2… changes that answer and comes back here.
 * @example { "type": "review", "prompt": "review.title", "fields": [{ "field": "name", "label": "review.name" }], "next": "submit" }
 */
export type ReviewStep = z.infer<typeof reviewStepSchema>;

/** The fields with an answer: one without (the ⑭ reason when ⑭ was not chosen) is neither shown nor offered for change. */
function shownFields(step: ReviewStep, c: StepContext): ReviewStep['fields'] {
  return step.fields.filter((f) => c.displayOf(f.field) !== undefined);
}

export const reviewStep: StepDef<ReviewStep> = {
  type: 'review',
  schema: reviewStepSchema,
  waits: true,
  enter(step, c) {
    const shown = shownFields(step, c);
    const lines: SummaryLine[] = shown.map((f) => ({ labelKey: resolveKey(c.namespace, f.label), ...c.displayOf(f.field) }) as SummaryLine);
    const choices: EngineChoice[] = [
      { id: 'submit', labelKey: 'engine:review.submit' },
      ...shown.map((f) => ({ id: f.field, labelKey: resolveKey(c.namespace, f.label) })),
    ];
    return { kind: 'ask', outbound: { type: 'choices', key: resolveKey(c.namespace, step.prompt), vars: {}, choices, lines } };
  },
  answer(step, input, c) {
    const w = normaliseWord(input.text);
    if (input.menuId === 'submit' || (!input.menuId && (w === '提交' || readYesNo(input.text) === true))) return { kind: 'answer' };
    const shown = shownFields(step, c);
    const byNumber = /^\d+$/.test(w) ? shown[Number(w) - 2] : undefined;
    const byLabel = shown.filter((f) => {
      const label = c.run.text?.(resolveKey(c.namespace, f.label));
      return label !== undefined && w !== '' && normaliseWord(label).includes(w);
    });
    const chosen =
      shown.find((f) => f.field === input.menuId) ?? byNumber ?? (byLabel.length === 1 ? byLabel[0] : undefined);
    if (!chosen) return { kind: 'invalid', reason: 'engine:invalid.review', vars: { max: shown.length + 1 } };
    const target = chosen.step ?? c.stepOfField(chosen.field);
    return target ? { kind: 'change', goto: target } : { kind: 'invalid', reason: 'engine:invalid.review', vars: { max: shown.length + 1 } };
  },
  keys: (step) => [step.prompt, ...(step.help ? [step.help] : []), ...step.fields.map((f) => f.label)],
  targets: (step) => [
    { path: 'next', target: step.next },
    ...step.fields.flatMap((f, i) => (f.step ? [{ path: `fields[${i}].step`, target: f.step }] : [])),
  ],
  check(step, c) {
    const problems: StepProblem[] = [];
    step.fields.forEach((f, i) => {
      if (!f.step && !c.fields.has(f.field)) problems.push({ path: `fields[${i}].field`, message: `no step asks field "${f.field}"` });
    });
    return problems;
  },
  display: () => ({ value: '' }),
};
