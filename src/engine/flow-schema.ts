import { z } from 'zod';
import { stepSchema, type Step } from './step-types/index.js';

const idPattern = /^[a-zA-Z][a-zA-Z0-9_-]*$/;

/** The outer shape of a flow file, steps checked only for a `type`; validate-flow then parses each step by its type. */
export const flowHeaderSchema = z.strictObject({
  id: z.string().regex(idPattern, 'must start with a letter and use letters, digits, _ or -'),
  version: z.number().int().positive(),
  /** The i18next namespace (templates/<locale>/<namespace>.json) holding the flow's texts. */
  namespace: z.string().min(1),
  start: z.string().min(1),
  /** Text key sent once when the flow starts (what it is for, how long it takes, the global words). */
  intro: z.string().min(1).optional(),
  /** Text key said when the person cancels (取消); the engine's own when not set. Staff forms say the card still works. */
  cancelled: z.string().min(1).optional(),
  /** Show each question with its place, "第3步/共13步：", counted by the engine along the way the answers take. */
  numberSteps: z.boolean().optional(),
  steps: z.record(z.string().regex(idPattern, 'step ids must start with a letter and use letters, digits, _ or -'), z.looseObject({ type: z.string() })),
});

export const flowSchema = flowHeaderSchema.extend({ steps: z.record(z.string(), stepSchema) });

/**
 * A flow: data, loaded from flows/<id>.yaml and validated before use.
 * @example { "id": "declaration", "version": 1, "namespace": "declaration", "start": "ask_name",
 *   "steps": { "ask_name": { "type": "text", "prompt": "ask_name", "validator": "shortText", "next": "done" },
 *              "done": { "type": "end", "action": "createCase" } } }
 */
export type Flow = z.infer<typeof flowSchema>;

/** Largest number of steps a flow may have. */
export const MAX_STEPS_PER_FLOW = 200;

/** The step with this id; undefined for unknown ids, including inherited names like "constructor". */
export function stepAt(flow: Pick<Flow, 'steps'>, id: string): Step | undefined {
  return Object.hasOwn(flow.steps, id) ? flow.steps[id] : undefined;
}
