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

export interface HealthOptions {
  probes: Probe[];
  /** What operators must fix that is not an outage (a year without an income line): listed, never a 503. */
  warnings?: () => string[];
}

/**
 * `/healthz`: the process is up. `/readyz`: every store answers (503 naming the ones that do not), and
 * `warnings` lists what needs fixing without making the service unready.
 * @example { "status": "ready", "checks": { "stateStore": "ok", "documentStore": "ok" },
 *   "warnings": ["config/profiles/hunan-2022.yaml: incomeThreshold.perYear.\"2026\" is not set — eliminations in 2026 cannot be judged until it is"] }
 */
export async function healthRoutes(app: FastifyInstance, opts: HealthOptions): Promise<void> {
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
    const warnings = opts.warnings?.() ?? [];
    return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'unavailable', checks, warnings });
  });
}
