import Fastify, { type FastifyInstance } from 'fastify';
import type { ChatHandler } from '../../src/channel/messages.js';
import { DEMO_ORG_FILE, loadOrgFile } from '../../src/org/org-file.js';
import { ManualClock } from '../../src/shared/clock.js';
import { FakeWeComState } from '../../src/simulator/fake-wecom-state.js';
import { simulatorRoutes } from '../../src/simulator/simulator.route.js';
import { startTestService, TEST_NOW, type TestService } from '../helpers/test-app.js';
import { VECTOR_CRYPTO } from '../helpers/vectors.js';

export interface SimulatorOverHttp {
  svc: TestService;
  sim: FastifyInstance;
  url: string;
}

/**
 * The real service (test credentials, fake WeCom over HTTP, a manual clock at TEST_NOW) and the simulator routes
 * on their own loopback server, pointed at the service's URL: every simulated turn crosses real HTTP and crypto.
 * `movableClock`: the routes may move the clock (快进), and the service runs its day's jobs when they do.
 * What to close is pushed on `cleanups`.
 */
export async function startSimulatorOverHttp(
  cleanups: (() => Promise<void>)[],
  opts: { handler?: ChatHandler; env?: Record<string, string>; movableClock?: boolean } = {},
): Promise<SimulatorOverHttp> {
  const clock = new ManualClock(TEST_NOW);
  const fake = new FakeWeComState({ corpId: VECTOR_CRYPTO.corpId, secret: 'test-app-secret' });
  fake.now = () => clock.now().getTime();
  const svc = await startTestService({ clock, fake, ...(opts.handler ? { handler: opts.handler } : {}), ...(opts.env ? { env: opts.env } : {}) });
  cleanups.push(() => svc.close());
  const sim = Fastify({ logger: false });
  await sim.register(
    simulatorRoutes({
      fake: svc.fake,
      crypto: VECTOR_CRYPTO,
      agentId: svc.config.wecom.agentId,
      org: loadOrgFile(DEMO_ORG_FILE),
      serviceUrl: () => svc.baseUrl,
      now: () => svc.clock.now(),
      ...(opts.movableClock ? { clock: svc.clock, clockMoved: () => svc.built.clockMoved() } : {}),
    }),
  );
  const url = await sim.listen({ host: '127.0.0.1', port: 0 });
  cleanups.push(() => sim.close());
  return { svc, sim, url };
}
