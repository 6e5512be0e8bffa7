import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { campaignInputSchema, type Campaign } from '../checks/campaign.js';
import type { CheckSummary } from '../checks/check-progress.js';
import type { ChecksRoom } from '../checks/checks-room.js';
import type { Org } from '../org/org.js';
import type { Clock } from '../shared/clock.js';
import { mayAccess } from './admin-auth.js';
import { forbidden, principal } from './admin.plugin.js';

const progress = z.object({
  due: z.number(),
  done: z.number(),
  newRisks: z.number(),
  leads: z.number(),
  villages: z.array(z.object({ code: z.string(), name: z.string(), due: z.number(), done: z.number(), missing: z.array(z.string()) })),
});
const campaignView = z.object({
  id: z.string(),
  name: z.string(),
  form: z.string(),
  period: z.object({ from: z.string(), to: z.string() }),
  scope: z.object({ area: z.string(), households: z.string() }),
  statistics: z.object({ timePoint: z.string().optional(), period: z.string().optional() }).optional(),
  status: z.enum(['open', 'closed']),
  openedBy: z.string(),
  closedAt: z.string().optional(),
  /** Once closed: the households not visited (head and village, never an ID number). */
  missing: z.array(z.object({ head: z.string(), village: z.string(), place: z.string() })).optional(),
  progress,
});
const notFound = z.object({ error: z.literal('NOT_FOUND') });
const badArea = z.object({ error: z.literal('BAD_REQUEST'), issues: z.array(z.object({ field: z.string(), problem: z.string() })) });
const idParams = z.strictObject({ id: z.string().regex(/^cmp-[0-9a-z-]{8,64}$/) });

/**
 * Campaigns (集中排查, 回头看) through the admin API: `POST /admin/campaigns` opens one (period, scope, form, statistics
 * settings), `GET /admin/campaigns` lists the caller's with progress per village, `GET /admin/campaigns/:id` shows one,
 * `POST /admin/campaigns/:id/close` closes it with its missing list (the scheduler closes it once its end date is over).
 */
export function campaignsRoutes(deps: { checks: ChecksRoom; org: Org; clock: Clock }) {
  const view = (c: Campaign, p: CheckSummary) => ({
    id: c._id,
    name: c.name,
    form: c.form,
    period: c.period,
    scope: c.scope,
    ...(c.statistics ? { statistics: c.statistics } : {}),
    status: c.status,
    openedBy: c.openedBy,
    ...(c.closedAt ? { closedAt: c.closedAt } : {}),
    ...(c.missing ? { missing: c.missing.map((m) => ({ head: m.head, village: m.village, place: deps.org.placeName(m.village) })) } : {}),
    progress: { due: p.due, done: p.done, newRisks: p.newRisks, leads: p.leads, villages: p.villages },
  });
  return async (app: FastifyInstance): Promise<void> => {
    const api = app.withTypeProvider<ZodTypeProvider>();
    api.post(
      '/campaigns',
      { schema: { body: campaignInputSchema, response: { 201: campaignView, 400: badArea, 403: forbidden }, tags: ['campaigns'] } },
      async (request, reply) => {
        const who = principal(request);
        const { area } = request.body.scope;
        if (!deps.org.area(area) || deps.org.area(area)?.level === 'group') return reply.code(400).send({ error: 'BAD_REQUEST', issues: [{ field: 'body.scope.area', problem: 'not a county, township or village of the org' }] });
        if (!mayAccess(who, deps.org, area)) return reply.code(403).send({ error: 'FORBIDDEN' });
        const now = deps.clock.now();
        const campaign = await deps.checks.campaigns.open(request.body, who.kind === 'county' ? 'admin-token' : who.member.userId, now);
        return reply.code(201).send(view(campaign, await deps.checks.campaigns.progress(campaign, now)));
      },
    );
    api.get('/campaigns', { schema: { response: { 200: z.object({ items: z.array(campaignView) }) }, tags: ['campaigns'] } }, async (request) => {
      const who = principal(request);
      const now = deps.clock.now();
      const mine = (await deps.checks.deps.campaigns.all()).filter((c) => mayAccess(who, deps.org, c.scope.area) || (who.kind === 'staff' && who.member.areas.some((a) => deps.org.contains(c.scope.area, a))));
      return { items: await Promise.all(mine.map(async (c) => view(c, await deps.checks.campaigns.progress(c, now)))) };
    });
    api.get('/campaigns/:id', { schema: { params: idParams, response: { 200: campaignView, 403: forbidden, 404: notFound }, tags: ['campaigns'] } }, async (request, reply) => {
      const c = await deps.checks.deps.campaigns.get(request.params.id);
      if (!c) return reply.code(404).send({ error: 'NOT_FOUND' });
      if (!mayAccess(principal(request), deps.org, c.scope.area)) return reply.code(403).send({ error: 'FORBIDDEN' });
      return view(c, await deps.checks.campaigns.progress(c, deps.clock.now()));
    });
    api.post('/campaigns/:id/close', { schema: { params: idParams, response: { 200: campaignView, 403: forbidden, 404: notFound }, tags: ['campaigns'] } }, async (request, reply) => {
      const c = await deps.checks.deps.campaigns.get(request.params.id);
      if (!c) return reply.code(404).send({ error: 'NOT_FOUND' });
      if (!mayAccess(principal(request), deps.org, c.scope.area)) return reply.code(403).send({ error: 'FORBIDDEN' });
      const now = deps.clock.now();
      const closed = await deps.checks.campaigns.close(c, now);
      return view(closed, await deps.checks.campaigns.progress(closed, now));
    });
  };
}
