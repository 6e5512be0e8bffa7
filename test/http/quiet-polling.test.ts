import Fastify, { type FastifyBaseLogger } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_ORG_FILE, loadOrgFile } from '../../src/org/org-file.js';
import { MemoryStateStore } from '../../src/stores/state-store.memory.js';
import { FakeWeComState } from '../../src/simulator/fake-wecom-state.js';
import { simulatorRoutes } from '../../src/simulator/simulator.route.js';
import { captureLogs, startTestService, type TestService } from '../helpers/test-app.js';
import { VECTOR_CRYPTO } from '../helpers/vectors.js';

/** The simulator page polls every 600 ms and probes hit the health routes: none of that may flood the info log. */
const POLLS = 20;

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const linesAbout = (lines: string[], path: string) => lines.filter((l) => l.includes(`"url":"${path}`));

describe('polling routes stay out of the info log', () => {
  it('/healthz and /readyz on the real app: no line per probe, while other requests are still logged', async () => {
    const svc: TestService = await startTestService();
    cleanups.push(() => svc.close());
    for (let i = 0; i < POLLS; i++) {
      expect((await fetch(`${svc.baseUrl}/healthz`)).status).toBe(200);
      expect((await fetch(`${svc.baseUrl}/readyz`)).status).toBe(200);
    }
    expect(linesAbout(svc.logs, '/healthz')).toEqual([]);
    expect(linesAbout(svc.logs, '/readyz')).toEqual([]);
    // The capture works: a request to any other route is logged as before.
    await fetch(`${svc.baseUrl}/wecom/callback`);
    expect(linesAbout(svc.logs, '/wecom/callback').length).toBeGreaterThan(0);
  });

  it('/readyz still warns when a store does not answer', async () => {
    const state = new MemoryStateStore();
    state.ping = () => Promise.reject(new Error('connection refused'));
    const svc = await startTestService({ state });
    cleanups.push(() => svc.close());
    expect((await fetch(`${svc.baseUrl}/readyz`)).status).toBe(503);
    expect(svc.logs.some((l) => l.includes('"level":40') && l.includes('not ready'))).toBe(true);
  });

  it('the simulator routes the page polls log nothing at info; a message sent from the page is still logged', async () => {
    const { logger, lines } = captureLogs();
    const fake = new FakeWeComState({ corpId: VECTOR_CRYPTO.corpId });
    const app = Fastify({ loggerInstance: logger as FastifyBaseLogger });
    await app.register(simulatorRoutes({ fake, crypto: VECTOR_CRYPTO, agentId: 1000002, org: loadOrgFile(DEMO_ORG_FILE), serviceUrl: () => 'http://127.0.0.1:9' }));
    const url = await app.listen({ host: '127.0.0.1', port: 0 });
    cleanups.push(() => app.close());

    for (let i = 0; i < POLLS; i++) {
      for (const path of ['/simulator/transcript?channel=kf&id=wmSimZhangDaye01', '/simulator/sent', '/simulator/identities']) {
        expect((await fetch(`${url}${path}`)).status).toBe(200);
      }
    }
    expect(lines.filter((l) => l.includes('/simulator/'))).toEqual([]);

    await fetch(`${url}/simulator/staff/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(linesAbout(lines, '/simulator/staff/messages').length).toBeGreaterThan(0);
  });
});
