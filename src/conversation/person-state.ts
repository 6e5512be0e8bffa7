import { z } from 'zod';
import { engineStateSchema } from '../engine/state.js';
import { LOCALES } from '../i18n/i18n.js';

/** Bumped when the stored shape changes; state of another version is dropped with an apology. */
export const PERSON_STATE_VERSION = 1;

const slotSchema = z.strictObject({
  flowId: z.string(),
  engine: engineStateSchema,
  lastActiveAt: z.string(),
});

export const personStateSchema = z.strictObject({
  v: z.literal(PERSON_STATE_VERSION),
  locale: z.enum(LOCALES).optional(),
  /** The slot the person's next message goes to. */
  active: z.string().optional(),
  /** One conversation per slot (a flow, or a flow about one case), so two tasks never clobber each other. */
  slots: z.record(z.string(), slotSchema),
});

/**
 * Everything the service remembers about one person's conversations, stored sealed in the state store.
 * @example { "v": 1, "locale": "zh-CN", "active": "declaration",
 *   "slots": { "declaration": { "flowId": "declaration", "engine": { "v": 1, "stepId": "ask_phone", … }, "lastActiveAt": "2026-11-22T08:01:00.000Z" } } }
 */
export type PersonState = z.infer<typeof personStateSchema>;
export type Slot = z.infer<typeof slotSchema>;

export function emptyPersonState(): PersonState {
  return { v: PERSON_STATE_VERSION, slots: {} };
}
