import type { FastifyInstance } from 'fastify';

export interface Probe {
  name: string;
  check(): Promise<void>;
}

const PROBE_TIMEOUT_MS = 2000;

function withTimeout(p: Promise<void>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    p,
    new Promise<void>((_, reject) => {
      timer = setTimeout(() => reject(new Error('timeout')), PROBE_TIMEOUT_MS);
    }),
  ]).finally(() => clearTimeout(timer));
}

/** Probes poll these every few seconds: their requests stay out of the info log; a failing probe still warns. */
const POLLED = { logLevel: 'warn' } as const;

/** `/healthz`: the process is up. `/readyz`: every store answers (503 naming the ones that do not). */
export async function healthRoutes(app: FastifyInstance, opts: { probes: Probe[] }): Promise<void> {
  app.get('/healthz', POLLED, async () => ({ status: 'ok' }));
  app.get('/readyz', POLLED, async (request, reply) => {
    const results = await Promise.all(
      opts.probes.map(async (probe) => {
        try {
          await withTimeout(probe.check());
          return [probe.name, 'ok'] as const;
        } catch {
          return [probe.name, 'unreachable'] as const;
        }
      }),
    );
    const checks = Object.fromEntries(results);
    const ready = results.every(([, status]) => status === 'ok');
    if (!ready) request.log.warn({ checks }, 'not ready');
    return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'unavailable', checks });
  });
}
