import { z } from 'zod';
import { fieldNameSchema } from './step-types/common.js';

/** Bumped whenever the state shape changes; the caller drops (or migrates) state with another `v`. */
export const ENGINE_STATE_VERSION = 1;

export const answerValueSchema = z.union([z.string(), z.number(), z.boolean(), z.array(z.string())]);

export const engineStateSchema = z.strictObject({
  v: z.literal(ENGINE_STATE_VERSION),
  flowId: z.string(),
  flowVersion: z.number().int(),
  stepId: z.string(),
  answers: z.record(z.string(), answerValueSchema),
  history: z.array(z.string()),
  failures: z.number().int().min(0),
  returnTo: z.string().optional(),
  /** The answers the flow was started with (a form's case and pre-selections), kept so 重新开始 keeps them. */
  given: z.record(z.string(), answerValueSchema).optional(),
  startedAt: z.string(),
  updatedAt: z.string(),
});

/**
 * Where one conversation stands in one flow. Plain JSON, safe to store.
 * @example { "v": 1, "flowId": "declaration", "flowVersion": 1, "stepId": "ask_phone", "answers": { "name": "张三" },
 *   "history": ["ask_name"], "failures": 0, "startedAt": "2026-01-05T08:00:00.000Z", "updatedAt": "2026-01-05T08:01:00.000Z" }
 */
export type EngineState = z.infer<typeof engineStateSchema>;

export const engineInputSchema = z.discriminatedUnion('type', [
  /** `answers`: a start with answers already given (a staff form pre-selecting what the household declared, or context such as a lead date). */
  z.strictObject({ type: z.literal('start'), answers: z.record(fieldNameSchema, answerValueSchema).optional() }),
  z.strictObject({ type: z.literal('message'), text: z.string(), menuId: z.string().optional() }),
  z.strictObject({ type: z.literal('timeout') }),
  z.strictObject({ type: z.literal('repeat') }),
  z.strictObject({ type: z.literal('expired') }),
]);

/**
 * What moves a conversation: a start (optionally with answers given beforehand), a user's message (typed text, or a tapped menu item's id), the
 * caller's timers (`timeout`: remind and ask again; `expired`: end), or `repeat` (ask the question again, e.g.
 * after answering 进度 in the middle of a flow). @example { "type": "message", "text": "2", "menuId": "t2" }
 * @example { "type": "start", "answers": { "riskTypes": ["illness"], "leadDate": "2026-11-22" } }
 */
export type EngineInput = z.infer<typeof engineInputSchema>;

/** The statuses the engine sets. `expired | interrupted` are set only by the caller. */
export type EngineStatus = 'active' | 'waiting' | 'completed' | 'failed';
