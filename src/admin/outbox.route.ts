import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Org } from '../org/org.js';
import { DELIVERY_PURPOSES } from '../outbox/outbox-item.js';
import { OUTBOX_STATUSES, type OutboxStore } from '../outbox/outbox-store.js';
import { forbidden, principal } from './admin.plugin.js';

const query = z.strictObject({
  status: z.enum(OUTBOX_STATUSES).default('failed'),
  purpose: z.enum(DELIVERY_PURPOSES).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

const item = z.object({
  id: z.string(),
  purpose: z.string(),
  recipient: z.string(),
  caseId: z.string().optional(),
  status: z.string(),
  attempts: z.number(),
  reason: z.string().optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
  retryAt: z.string().optional(),
  /** Held back until then (a digest waiting for the end of quiet hours); only when later than createdAt. */
  notBefore: z.string().optional(),
  /** A household message: the way it takes (kf, monitoringContact, none). */
  route: z.string().optional(),
});

/**
 * `GET /admin/outbox?status=failed|held|pending`: what did not go out, and why (an error code or the held reason,
 * never the message itself), and what waits for a later time (quiet hours). Only the county's clerk sees the whole
 * outbox; it names no household by name.
 */
export function outboxRoutes(deps: { store: OutboxStore; org: Org }) {
  return async (app: FastifyInstance): Promise<void> => {
    app.withTypeProvider<ZodTypeProvider>().get(
      '/outbox',
      { schema: { querystring: query, response: { 200: z.object({ items: z.array(item) }), 403: forbidden }, tags: ['outbox'] } },
      async (request, reply) => {
        if (principal(request).kind !== 'county') return reply.code(403).send({ error: 'FORBIDDEN' });
        const { status, purpose, limit } = request.query;
        const records = await deps.store.find({ status, ...(purpose ? { purpose } : {}) }, limit);
        return {
          items: records.map((r) => ({
            id: r._id,
            purpose: r.purpose,
            recipient: r.recipient,
            ...(r.caseId ? { caseId: r.caseId } : {}),
            status: r.status,
            attempts: r.attempts,
            ...(r.reason ? { reason: r.reason } : {}),
            createdAt: r.createdAt,
            updatedAt: r.updatedAt,
            ...(r.retryAt ? { retryAt: r.retryAt } : {}),
            ...(r.notBefore > r.createdAt ? { notBefore: r.notBefore } : {}),
            ...(r.route ? { route: r.route } : {}),
          })),
        };
      },
    );
  };
}
