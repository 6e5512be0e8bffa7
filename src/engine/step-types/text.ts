import { z } from 'zod';
import { say } from '../events.js';
import { resolveKey } from '../normalise.js';
import { readSmallTalk } from '../small-talk.js';
import { validatorNamed } from '../validators/index.js';
import { askFields, askKeys, askTargets } from './common.js';
import { draftOf, enterGather, gatherAnswer } from './gather.js';
import type { StepDef, StepProblem } from './step-def.js';

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
});

/**
 * Ask for free text checked by a named validator; with `gather`, in as many messages as the person likes.
 * @example { "type": "text", "prompt": "ask_id", "validator": "idNumber", "echo": "id_echo", "next": "ask_phone" }
 * @example { "type": "text", "prompt": "ask_description", "validator": "longText", "maxLength": 500, "gather": true, "next": "ask_commitment" }
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
  },
  keys: (step) => [...askKeys(step), ...(step.echo ? [step.echo] : [])],
  targets: askTargets,
  check(step) {
    const problems: StepProblem[] = validatorNamed(step.validator) ? [] : [{ path: 'validator', message: `unknown validator "${step.validator}"` }];
    if (step.gather && step.maxLength === undefined) problems.push({ path: 'gather', message: 'a gathering step needs maxLength' });
    return problems;
  },
  display(step, value) {
    const d = validatorNamed(step.validator)?.display;
    return { value: d && typeof value === 'string' ? d(value) : String(value) };
  },
};
