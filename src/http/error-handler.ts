import type { FastifyError, FastifyInstance } from 'fastify';
import { errorSummary } from '../shared/background-work.js';

/**
 * One error handler: client errors keep their status with a short code; everything else is a
 * generic 500. Never a stack trace or an internal message to the caller; one log line each.
 */
export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
    if (status >= 500) {
      request.log.error({ err: errorSummary(error), route: request.routeOptions.url }, 'request failed');
      return reply.code(500).send({ error: 'INTERNAL' });
    }
    request.log.warn({ code: error.code, route: request.routeOptions.url, status }, 'request refused');
    return reply.code(status).send({ error: error.code ?? 'BAD_REQUEST' });
  });
  app.setNotFoundHandler((_request, reply) => reply.code(404).send({ error: 'NOT_FOUND' }));
}
