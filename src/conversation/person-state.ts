import { z } from 'zod';
import { engineStateSchema } from '../engine/state.js';
import type { Outbound } from '../channel/messages.js';
import { LOCALES } from '../i18n/i18n.js';

/** Bumped when the stored shape changes; state of another version is dropped with an apology. */
export const PERSON_STATE_VERSION = 1;

const flowSlotSchema = z.strictObject({
  flowId: z.string(),
  engine: engineStateSchema,
  lastActiveAt: z.string(),
});

/**
 * A staff member tapped a button that needs a reason (不同意): their next text is that reason.
 * `responseCode` is the click's single-use code, kept to update the card once the reason is in.
 * @example { "kind": "reason", "taskId": "fp_5f0c…_5_recordAppraisal_k3x9", "caseNumber": "20261122-0001",
 *   "label": "不同意", "responseCode": "rc_…", "lastActiveAt": "2026-11-23T02:05:00.000Z" }
 */
const reasonSlotSchema = z.strictObject({
  kind: z.literal('reason'),
  taskId: z.string(),
  caseNumber: z.string(),
  /** The button tapped, as the staff member saw it. */
  label: z.string(),
  responseCode: z.string(),
  lastActiveAt: z.string(),
});

const slotSchema = z.union([flowSlotSchema, reasonSlotSchema]);

const outboundSchema = z.custom<Outbound>((v) => typeof v === 'object' && v !== null && ['text', 'choices', 'card'].includes((v as { type?: unknown }).type as string));

/**
 * A turn already handled: its inbound id and the replies it gave. A retry of the same message (WeCom
 * re-sending after a crash, a kf re-pull) gets these back instead of being taken as a new answer.
 */
const handledTurnSchema = z.strictObject({ id: z.string(), at: z.string(), replies: z.array(outboundSchema) });
/** How many handled turns are remembered; retries come within seconds, a re-pull within minutes. */
export const HANDLED_TURNS_KEPT = 5;

export const personStateSchema = z.strictObject({
  v: z.literal(PERSON_STATE_VERSION),
  locale: z.enum(LOCALES).optional(),
  /** The slot the person's next message goes to. */
  active: z.string().optional(),
  /** One conversation per slot (a flow, or a reason awaited for one case), so two tasks never clobber each other. */
  slots: z.record(z.string(), slotSchema),
  handled: z.array(handledTurnSchema).optional(),
  /** The staff member's last 我的待办 list: "3" or "办3" typed next opens its item 3. */
  todo: z
    .strictObject({ at: z.string(), page: z.number().int().nonnegative(), items: z.array(z.strictObject({ caseId: z.string(), action: z.string() })) })
    .optional(),
  /** When a durable mark that this person is mid-flow was written (so a state store that lost its data is noticed). */
  markedAt: z.string().optional(),
});

/**
 * Everything the service remembers about one person's conversations, stored sealed in the state store.
 * @example { "v": 1, "locale": "zh-CN", "active": "declaration",
 *   "slots": { "declaration": { "flowId": "declaration", "engine": { "v": 1, "stepId": "ask_phone", … }, "lastActiveAt": "2026-11-22T08:01:00.000Z" } } }
 */
export type PersonState = z.infer<typeof personStateSchema>;
export type Slot = z.infer<typeof slotSchema>;
export type FlowSlot = z.infer<typeof flowSlotSchema>;
export type ReasonSlot = z.infer<typeof reasonSlotSchema>;
export type HandledTurn = z.infer<typeof handledTurnSchema>;

/** The stored replies of a turn handled under `id`, if it was. */
export function handledTurn(state: PersonState, id: string): HandledTurn | undefined {
  return state.handled?.find((t) => t.id === id);
}

/** Remembers a handled turn (the newest few only). */
export function rememberTurn(state: PersonState, turn: HandledTurn): void {
  state.handled = [...(state.handled ?? []).filter((t) => t.id !== turn.id), turn].slice(-HANDLED_TURNS_KEPT);
}

/** Whether any conversation in a flow is open (a staff reason alone is not one). */
export function inAnyFlow(state: PersonState): boolean {
  return Object.values(state.slots).some((slot) => !isReasonSlot(slot));
}

/** The slot id of the reason awaited for a case: one per case, so two cases' reasons never mix. */
export function reasonSlotId(caseId: string): string {
  return `reason:${caseId}`;
}

export function isReasonSlot(slot: Slot | undefined): slot is ReasonSlot {
  return slot !== undefined && 'kind' in slot && slot.kind === 'reason';
}

export function flowSlot(state: PersonState, slotId: string): FlowSlot | undefined {
  const slot = state.slots[slotId];
  return slot && !isReasonSlot(slot) ? slot : undefined;
}

export function emptyPersonState(): PersonState {
  return { v: PERSON_STATE_VERSION, slots: {} };
}
