import { z } from 'zod';
import { answerOf, type AnswerValue, type Answers } from '../events.js';
import type { StepRef } from './step-def.js';

/**
 * The name of an answer field: starts with a letter, then letters, digits, _ or - (so never `__proto__`).
 * @example "householdHead"
 */
export const fieldNameSchema = z.string().regex(/^[a-zA-Z][a-zA-Z0-9_-]*$/, 'field names must start with a letter and use letters, digits, _ or -');

/**
 * A branch: go to `next` when the field's answer equals a value or includes an option id.
 * @example { "when": { "includes": "other" }, "next": "ask_other_reason" }
 */
export const branchSchema = z.strictObject({
  when: z.strictObject({
    field: fieldNameSchema.optional(),
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
  field: fieldNameSchema.optional(),
  next: z.string().optional(),
  branches: z.array(branchSchema).optional(),
  /** Fields that depend on this answer (a village on its township): cleared, and asked again, when the answer changes. */
  clears: z.array(fieldNameSchema).optional(),
};

/**
 * An option of a static list: an id, the text key of its label, and words that name it in a sentence
 * ("老伴生病住院了" names 因病 through 生病, 住院). @example { "id": "illness", "label": "risk.illness", "keywords": ["生病", "住院"] }
 */
export const optionSchema = z.strictObject({
  id: z.string().min(1),
  label: z.string().min(1),
  exclusive: z.boolean().optional(),
  keywords: z.array(z.string().min(1)).optional(),
});

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
    const value: AnswerValue | undefined = answerOf(answers, b.when.field ?? field);
    if (value === undefined) return false;
    if (b.when.equals !== undefined && value !== b.when.equals) return false;
    if (b.when.includes !== undefined && !(Array.isArray(value) && value.includes(b.when.includes))) return false;
    return true;
  });
}

/** Chinese digits. A Map, not an object: `"constructor" in {…}` is true, `DIGITS.has("constructor")` is not. */
const DIGITS: ReadonlyMap<string, number> = new Map([
  ['零', 0], ['一', 1], ['二', 2], ['两', 2], ['三', 3], ['四', 4], ['五', 5], ['六', 6], ['七', 7], ['八', 8], ['九', 9],
]);

/** Parses a whole number typed with ASCII or full-width digits, or simple Chinese numerals up to 99 (五, 十二, 两). */
export function parseInteger(text: string): number | undefined {
  const t = text.replace(/\s+/g, '');
  if (/^-?\d+$/.test(t)) {
    // Past 2^53 a number is no longer the one typed (and 1e999 digits would store as null).
    const n = Number(t);
    return Number.isSafeInteger(n) ? n + 0 : undefined;
  }
  const m = /^([一二两三四五六七八九])?(十)?([一二三四五六七八九])?$/.exec(t);
  if (!m || t === '' || (!m[2] && m[3])) return DIGITS.get(t);
  if (!m[2]) return m[1] ? DIGITS.get(m[1]) : undefined;
  return (m[1] ? (DIGITS.get(m[1]) ?? 1) : 1) * 10 + (m[3] ? (DIGITS.get(m[3]) ?? 0) : 0);
}
