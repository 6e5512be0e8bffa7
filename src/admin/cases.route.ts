import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { CaseRepository } from '../cases/case-repository.js';
import type { Org } from '../org/org.js';
import type { Clock } from '../shared/clock.js';
import { shanghaiDate } from '../policy/dates.js';
import { STAGES } from '../procedure/stages.js';
import { mayAccess, scopeOf } from './admin-auth.js';
import { forbidden, principal } from './admin.plugin.js';

const query = z.strictObject({
  /** A township or village code; the caller's whole scope by default. */
  area: z.string().regex(/^[0-9A-Za-z_-]{1,32}$/).optional(),
  stage: z.enum(STAGES).optional(),
  /** Only cases past their identification or plan deadline. */
  overdue: z.enum(['true', 'false']).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});

const caseItem = z.object({
  caseNumber: z.string(),
  stage: z.string(),
  village: z.string(),
  place: z.string(),
  head: z.string(),
  source: z.string(),
  leadFoundOn: z.string(),
  identifiedOn: z.string().nullable(),
  dueOn: z.string().optional(),
  overdue: z.boolean(),
});

/**
 * `GET /admin/cases`: the caller's cases by area, stage and overdue, newest first. Shows the head's name and the
 * place, never an ID or phone number (those are sealed; their disclosure is a separate, audited route).
 */
export function casesRoutes(deps: { repo: CaseRepository; org: Org; clock: Clock }) {
  return async (app: FastifyInstance): Promise<void> => {
    app.withTypeProvider<ZodTypeProvider>().get(
      '/cases',
      { schema: { querystring: query, response: { 200: z.object({ items: z.array(caseItem) }), 403: forbidden }, tags: ['cases'] } },
      async (request, reply) => {
        const { org, repo } = deps;
        const who = principal(request);
        const { area, stage, overdue, limit } = request.query;
        if (area && (!org.area(area) || !mayAccess(who, org, area))) return reply.code(403).send({ error: 'FORBIDDEN' });
        const scopes = area ? [area] : scopeOf(who, org);
        const villages = [...new Set(scopes.flatMap((s) => (org.area(s)?.level === 'village' ? [s] : org.descendants(s, 'village').map((v) => v.code))))];
        const today = shanghaiDate(deps.clock.now());
        const records = await repo.inVillages(villages, stage ? [stage] : STAGES);
        const items = records
          .map((r) => {
            const p = r.procedure;
            const dueOn = p.identifiedOn === null ? p.deadlines.identification : p.assistancePlan === null ? p.deadlines.assistancePlan : undefined;
            const open = p.stage !== 'rejected' && p.stage !== 'eliminated';
            return {
              caseNumber: r.caseNumber,
              stage: p.stage,
              village: p.villageCode,
              place: org.placeName(r.area.group ?? r.area.village),
              head: r.household.head,
              source: p.source,
              leadFoundOn: p.leadFoundOn,
              identifiedOn: p.identifiedOn,
              ...(dueOn ? { dueOn } : {}),
              overdue: open && dueOn !== undefined && dueOn < today,
            };
          })
          .filter((c) => overdue === undefined || c.overdue === (overdue === 'true'))
          .reverse()
          .slice(0, limit);
        return { items };
      },
    );
  };
}
