import { z } from 'zod';
import { say, type EngineEvent } from '../events.js';
import { resolveKey } from '../normalise.js';
import type { StepDef } from './step-def.js';

export const endStepSchema = z.strictObject({
  type: z.literal('end'),
  /** Text key of a closing message. */
  message: z.string().optional(),
  /** Name of the action the caller performs with the answers, e.g. `createCase`. */
  action: z.string().optional(),
  reason: z.enum(['completed', 'declined']).optional(),
});

/**
 * End the flow: optional message, optional action with all answers, then `flow_ended`.
 * @example { "type": "end", "action": "createCase", "message": "submitted" }
 */
export type EndStep = z.infer<typeof endStepSchema>;

export const endStep: StepDef<EndStep> = {
  type: 'end',
  schema: endStepSchema,
  waits: false,
  enter(step, c) {
    const reason = step.reason ?? 'completed';
    const events: EngineEvent[] = [];
    if (step.message) events.push(say(resolveKey(c.namespace, step.message)));
    if (step.action) events.push({ type: 'action', name: step.action, data: { ...c.answers } });
    events.push({ type: 'flow_ended', reason });
    return { kind: 'end', reason, events };
  },
  answer: () => ({ kind: 'invalid', reason: 'engine:invalid.ended' }),
  keys: (step) => (step.message ? [step.message] : []),
  targets: () => [],
  check: () => [],
  display: () => ({ value: '' }),
};
