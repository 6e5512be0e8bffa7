import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { ManualClock } from '../../src/shared/clock.js';
import { FakeWeComState } from '../../src/simulator/fake-wecom-state.js';
import { createStateStore } from '../../src/stores/index.js';
import type { StateStore } from '../../src/stores/state-store.js';
import { householdSays } from '../helpers/staff-chat.js';
import { startTestService, TEST_NOW, type TestService } from '../helpers/test-app.js';
import { VECTOR_CRYPTO } from '../helpers/vectors.js';

/**
 * REDIS_KEY_PREFIX lets deployments share one Redis server: two services with different prefixes never see
 * each other's conversation state; two with the same prefix do (the control that shows the test can fail).
 */
const REDIS_URL = process.env.REDIS_URL;
const HOUSEHOLD = 'wmSharedRedis01';
const run = `test:${process.pid}:${Math.random().toString(36).slice(2)}:`;

const running: TestService[] = [];
const stores: StateStore[] = [];
afterEach(async () => {
  for (const svc of running.splice(0)) await svc.close();
  for (const store of stores.splice(0)) {
    for (const key of await store.keys('')) await store.delete(key);
    await store.close();
  }
});

/** A service whose state store is built from REDIS_KEY_PREFIX as server.ts builds it; its own document store. */
async function serviceWithPrefix(prefix: string): Promise<TestService> {
  const config = loadConfig({ REDIS_URL: REDIS_URL!, REDIS_KEY_PREFIX: prefix });
  const { store } = createStateStore({ redisUrl: config.redisUrl, keyPrefix: config.redisKeyPrefix });
  const cleanup = createStateStore({ redisUrl: config.redisUrl, keyPrefix: config.redisKeyPrefix }).store;
  stores.push(cleanup);
  const clock = new ManualClock(TEST_NOW);
  const fake = new FakeWeComState({ corpId: VECTOR_CRYPTO.corpId, secret: 'test-app-secret' });
  fake.now = () => clock.now().getTime();
  const svc = await startTestService({ state: store, clock, fake });
  running.push(svc);
  return svc;
}

describe.skipIf(!REDIS_URL)('REDIS_KEY_PREFIX on a shared Redis server', () => {
  it('a household half-way through a declaration on one deployment is a stranger to a deployment with another prefix', async () => {
    const countyA = await serviceWithPrefix(`${run}county-a:`);
    const countyB = await serviceWithPrefix(`${run}county-b:`);
    const sameAsA = await serviceWithPrefix(`${run}county-a:`);

    expect((await householdSays(countyA, HOUSEHOLD, '申报')).join('\n')).toContain('请告诉我户主的姓名');
    expect((await householdSays(countyA, HOUSEHOLD, '张德福')).join('\n')).toContain('请发来户主的身份证号');

    // Another deployment on the same Redis: no conversation in progress, so the name is not an answer.
    const strangerReply = (await householdSays(countyB, HOUSEHOLD, '李桂兰')).join('\n');
    expect(strangerReply).not.toContain('身份证号');
    expect(strangerReply).toContain('回复“申报”开始');

    // A service with the same prefix reads the same conversation (what the prefix keeps apart).
    expect((await householdSays(sameAsA, HOUSEHOLD, '430621195805121238')).join('\n')).toContain('收到，身份证号');
  });
});
if (!REDIS_URL) console.warn('REDIS_KEY_PREFIX test skipped: REDIS_URL is not set');
