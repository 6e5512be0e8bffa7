import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Org } from '../org/org.js';
import { DEADLINE_KINDS } from '../reminders/deadline-source.js';
import type { ReminderService } from '../reminders/reminder-service.js';
import { mayAccess } from './admin-auth.js';
import { principal } from './admin.plugin.js';

const query = z.strictObject({
  /** The instant to look at (ISO 8601 with a time zone, e.g. 2026-12-04T09:00:00+08:00): that day's digests in China. */
  at: z.iso.datetime({ offset: true }),
});

const line = z.object({
  recipient: z.string(),
  name: z.string().optional(),
  kind: z.enum(DEADLINE_KINDS),
  caseId: z.string().optional(),
  caseNumber: z.string().optional(),
  checkId: z.string().optional(),
  campaignId: z.string().optional(),
  /** The area the item belongs to (a case's village). */
  area: z.string(),
  dueOn: z.string(),
  escalated: z.boolean(),
  timing: z.enum(['before', 'overdue']),
  days: z.number(),
  sendAt: z.string(),
});

/**
 * `GET /admin/reminders/preview?at=<ISO time>`: what the reminders would send on the day of `at` (in China),
 * one line per person and item, with when it would go out; nothing is sent or recorded. A staff member's own
 * token sees the lines of items in their areas only.
 */
export function remindersRoutes(deps: { reminders: Pick<ReminderService, 'preview'>; org: Org }) {
  return async (app: FastifyInstance): Promise<void> => {
    app.withTypeProvider<ZodTypeProvider>().get(
      '/reminders/preview',
      { schema: { querystring: query, response: { 200: z.object({ at: z.string(), items: z.array(line) }) }, tags: ['reminders'] } },
      async (request) => {
        const who = principal(request);
        const at = new Date(request.query.at);
        const lines = await deps.reminders.preview(at);
        return { at: at.toISOString(), items: who.kind === 'county' ? lines : lines.filter((l) => mayAccess(who, deps.org, l.area)) };
      },
    );
  };
}
