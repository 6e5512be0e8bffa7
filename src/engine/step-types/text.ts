import { z } from 'zod';
import { say, type EngineEvent } from '../events.js';
import { resolveKey } from '../normalise.js';
import { readSmallTalk } from '../small-talk.js';
import { validatorNamed } from '../validators/index.js';
import { askFields, askKeys, askTargets } from './common.js';
import { draftOf, enterGather, gatherAnswer } from './gather.js';
import type { AnswerOutcome, StepContext, StepDef, StepProblem } from './step-def.js';

export const textStepSchema = z.strictObject({
  type: z.literal('text'),
  ...askFields,
  validator: z.string().min(1),
  maxLength: z.number().int().positive().optional(),
  /** Key of a message echoing the accepted value, with `{{value}}` (masked for ID numbers). */
  echo: z.string().optional(),
  /**
   * Take the answer in several messages: each is added to the text so far (within `maxLength`, which is then
   * required) until the person says "说完了" (or taps it); the flow moves on only then.
   */
  gather: z.boolean().optional(),
  /**
   * A check the caller runs on the accepted answer before the next question (e.g. `openCase`: does this ID
   * number's household already have an open case?): the step emits `{ type: 'check', name, field }` after the
   * answer, and the caller may stop the flow there. The engine knows nothing of what is checked.
   */
  check: z.string().min(1).optional(),
});

/**
 * Ask for free text checked by a named validator; with `gather`, in as many messages as the person likes.
 * @example { "type": "text", "prompt": "ask_id", "validator": "idNumber", "echo": "id_echo", "next": "ask_phone" }
 * @example { "type": "text", "prompt": "ask_description", "validator": "longText", "maxLength": 500, "gather": true, "next": "ask_commitment" }
 * @example { "type": "text", "prompt": "ask_id", "field": "idNumber", "validator": "idNumber", "check": "openCase", "next": "ask_phone" }
 */
export type TextStep = z.infer<typeof textStepSchema>;

export const textStep: StepDef<TextStep> = {
  type: 'text',
  schema: textStepSchema,
  waits: true,
  enter: (step, c) => ({
    kind: 'ask',
    outbound: step.gather ? enterGather(step, draftOf(step.field ?? c.stepId, c), c) : { type: 'text', key: resolveKey(c.namespace, step.prompt), vars: {} },
  }),
  answer(step, input, c) {
    const out = readText(step, input, c);
    if (out.kind !== 'answer' || !step.check) return out;
    const check: EngineEvent = { type: 'check', name: step.check, field: step.field ?? c.stepId };
    return { ...out, events: [...(out.events ?? []), check] };
  },
  keys: (step) => [...askKeys(step), ...(step.echo ? [step.echo] : [])],
  targets: askTargets,
  check(step, c) {
    const problems: StepProblem[] = validatorNamed(step.validator) ? [] : [{ path: 'validator', message: `unknown validator "${step.validator}"` }];
    if (step.gather && step.maxLength === undefined) problems.push({ path: 'gather', message: 'a gathering step needs maxLength' });
    if (step.check && c.checks && !c.checks.includes(step.check)) problems.push({ path: 'check', message: `unknown check "${step.check}"` });
    return problems;
  },
  display(step, value) {
    const d = validatorNamed(step.validator)?.display;
    return { value: d && typeof value === 'string' ? d(value) : String(value) };
  },
};

/** The step's reading of a message: small talk, a wrong answer, a piece of a gathered text, or the answer. */
function readText(step: TextStep, input: { text: string; menuId?: string }, c: StepContext): AnswerOutcome {
  // "嗯" or "好的" is not a description, a name or a reason.
  const talk = readSmallTalk(input.text);
  if (talk) return { kind: 'smallTalk', talk };
  const validator = validatorNamed(step.validator);
  if (!validator) return { kind: 'invalid', reason: 'engine:invalid.unknown' };
  if (step.gather) return gatherAnswer(step, step.field ?? c.stepId, input, validator, c);
  const r = validator.validate(input.text, step.maxLength ? { maxLength: step.maxLength } : {}, c.now);
  if (!r.ok) return { kind: 'invalid', reason: `engine:invalid.${r.reason}`, ...(r.vars ? { vars: r.vars } : {}) };
  const shown = validator.display ? validator.display(r.value) : r.value;
  return { kind: 'answer', value: r.value, events: step.echo ? [say(resolveKey(c.namespace, step.echo), { value: shown })] : [] };
}
