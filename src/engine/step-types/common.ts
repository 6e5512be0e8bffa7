import { z } from 'zod';
import type { AnswerValue, Answers } from '../events.js';
import type { StepRef } from './step-def.js';

/**
 * A branch: go to `next` when the field's answer equals a value or includes an option id.
 * @example { "when": { "includes": "other" }, "next": "ask_other_reason" }
 */
export const branchSchema = z.strictObject({
  when: z.strictObject({
    field: z.string().optional(),
    equals: z.union([z.string(), z.number(), z.boolean()]).optional(),
    includes: z.string().optional(),
  }),
  next: z.string().min(1),
});
export type Branch = z.infer<typeof branchSchema>;

/** Fields every asking step has. `field` defaults to the step id. */
export const askFields = {
  prompt: z.string().min(1),
  help: z.string().optional(),
  field: z.string().optional(),
  next: z.string().optional(),
  branches: z.array(branchSchema).optional(),
  /** Fields that depend on this answer (a village on its township): cleared, and asked again, when the answer changes. */
  clears: z.array(z.string().min(1)).optional(),
};

/** An option of a static list: an id and the text key of its label. @example { "id": "illness", "label": "risk.illness" } */
export const optionSchema = z.strictObject({ id: z.string().min(1), label: z.string().min(1), exclusive: z.boolean().optional() });

export function askTargets(step: { next?: string; branches?: Branch[] }): StepRef[] {
  const refs: StepRef[] = step.next ? [{ path: 'next', target: step.next }] : [];
  (step.branches ?? []).forEach((b, i) => refs.push({ path: `branches[${i}].next`, target: b.next }));
  return refs;
}

export function askKeys(step: { prompt: string; help?: string }): string[] {
  return step.help ? [step.prompt, step.help] : [step.prompt];
}

/** The first branch whose condition holds, if any. */
export function matchBranch(branches: Branch[] | undefined, field: string, answers: Answers): Branch | undefined {
  return branches?.find((b) => {
    const value: AnswerValue | undefined = answers[b.when.field ?? field];
    if (value === undefined) return false;
    if (b.when.equals !== undefined && value !== b.when.equals) return false;
    if (b.when.includes !== undefined && !(Array.isArray(value) && value.includes(b.when.includes))) return false;
    return true;
  });
}

/** Parses a whole number typed with ASCII or full-width digits, or simple Chinese numerals up to 99 (五, 十二, 两). */
export function parseInteger(text: string): number | undefined {
  const t = text.replace(/\s+/g, '');
  if (/^-?\d+$/.test(t)) return Number(t);
  const digits: Record<string, number> = { 零: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };
  const m = /^([一二两三四五六七八九])?(十)?([一二三四五六七八九])?$/.exec(t);
  if (!m || t === '' || (!m[2] && m[3])) return t in digits ? digits[t] : undefined;
  if (!m[2]) return m[1] ? digits[m[1]] : undefined;
  return (m[1] ? (digits[m[1]] ?? 1) : 1) * 10 + (m[3] ? (digits[m[3]] ?? 0) : 0);
}
