import { z } from 'zod';
import { say } from '../events.js';
import { resolveKey } from '../normalise.js';
import { readSmallTalk } from '../small-talk.js';
import { validatorNamed } from '../validators/index.js';
import { askFields, askKeys, askTargets } from './common.js';
import type { StepDef } from './step-def.js';

export const textStepSchema = z.strictObject({
  type: z.literal('text'),
  ...askFields,
  validator: z.string().min(1),
  maxLength: z.number().int().positive().optional(),
  /** Key of a message echoing the accepted value, with `{{value}}` (masked for ID numbers). */
  echo: z.string().optional(),
});

/**
 * Ask for free text checked by a named validator.
 * @example { "type": "text", "prompt": "ask_id", "validator": "idNumber", "echo": "id_echo", "next": "ask_phone" }
 */
export type TextStep = z.infer<typeof textStepSchema>;

export const textStep: StepDef<TextStep> = {
  type: 'text',
  schema: textStepSchema,
  waits: true,
  enter: (step, c) => ({ kind: 'ask', outbound: { type: 'text', key: resolveKey(c.namespace, step.prompt), vars: {} } }),
  answer(step, input, c) {
    // "嗯" or "好的" is not a description, a name or a reason.
    const talk = readSmallTalk(input.text);
    if (talk) return { kind: 'smallTalk', talk };
    const validator = validatorNamed(step.validator);
    if (!validator) return { kind: 'invalid', reason: 'engine:invalid.unknown' };
    const r = validator.validate(input.text, step.maxLength ? { maxLength: step.maxLength } : {}, c.now);
    if (!r.ok) return { kind: 'invalid', reason: `engine:invalid.${r.reason}`, ...(r.vars ? { vars: r.vars } : {}) };
    const shown = validator.display ? validator.display(r.value) : r.value;
    return { kind: 'answer', value: r.value, events: step.echo ? [say(resolveKey(c.namespace, step.echo), { value: shown })] : [] };
  },
  keys: (step) => [...askKeys(step), ...(step.echo ? [step.echo] : [])],
  targets: askTargets,
  check: (step) => (validatorNamed(step.validator) ? [] : [{ path: 'validator', message: `unknown validator "${step.validator}"` }]),
  display(step, value) {
    const d = validatorNamed(step.validator)?.display;
    return { value: d && typeof value === 'string' ? d(value) : String(value) };
  },
};
