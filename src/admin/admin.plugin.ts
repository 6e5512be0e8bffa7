import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Org } from '../org/org.js';
import { principalOf, type AdminPrincipal } from './admin-auth.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The admin API's caller, once authenticated. */
    principal?: AdminPrincipal;
  }
}

export interface AdminOptions {
  /** The county-wide token (ADMIN_TOKEN); undefined: only staff tokens from the org file work. */
  adminToken: string | undefined;
  org: Org;
  /** The routes, each a plugin registered under /admin. */
  routes: ((app: FastifyInstance) => Promise<void>)[];
}

/** The answer to a caller outside their areas or role. */
export const forbidden = z.object({ error: z.literal('FORBIDDEN') });

/** The caller of an admin route (the auth hook has set it). */
export function principal(request: FastifyRequest): AdminPrincipal {
  if (!request.principal) throw new Error('admin route reached without a principal');
  return request.principal;
}

/**
 * `/admin`: the HTTP API county clerks run the system with. Bearer-token auth (401 without a valid token,
 * 403 outside the caller's areas), zod-checked input (400 naming the field and the problem), OpenAPI at
 * `/admin/docs`. Its own encapsulated plugin, so its validation and error answers do not touch the webhook.
 */
export async function adminPlugin(app: FastifyInstance, opts: AdminOptions): Promise<void> {
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  await app.register(fastifySwagger, {
    openapi: {
      info: { title: '防返贫监测帮扶 admin API', version: '1' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/admin/docs' });

  app.setErrorHandler((error, request, reply) => {
    if (hasZodFastifySchemaValidationErrors(error)) {
      const issues = error.validation.map((v) => ({ field: `${error.validationContext ?? ''}${v.instancePath.replace(/\//g, '.')}`, problem: v.message ?? 'invalid' }));
      return reply.code(400).send({ error: 'BAD_REQUEST', issues });
    }
    const status = (error as { statusCode?: number }).statusCode;
    if (status && status >= 400 && status < 500) return reply.code(status).send({ error: (error as { code?: string }).code ?? 'BAD_REQUEST' });
    request.log.error({ err: { type: (error as Error).name, message: (error as Error).message?.slice(0, 200) } }, 'admin request failed');
    return reply.code(500).send({ error: 'INTERNAL' });
  });

  await app.register(async (scoped) => {
    scoped.addHook('onRequest', async (request, reply) => {
      const who = principalOf(request.headers.authorization, opts.adminToken, opts.org);
      if (!who) return reply.code(401).header('www-authenticate', 'Bearer').send({ error: 'UNAUTHORIZED' });
      request.principal = who;
    });
    for (const routes of opts.routes) await scoped.register(routes);
  }, { prefix: '/admin' });
}
