import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { KfSessions } from '../../src/channel/kf-session.js';
import { Messenger } from '../../src/channel/messenger.js';
import { BullDeliveryQueue } from '../../src/outbox/delivery-queue.bullmq.js';
import { DurableOutbox } from '../../src/outbox/durable-outbox.js';
import { messagesTo, type OutboxItem } from '../../src/outbox/outbox-item.js';
import { OutboxStore } from '../../src/outbox/outbox-store.js';
import { OutboxWorker } from '../../src/outbox/outbox-worker.js';
import { createVault, parseDataKey } from '../../src/privacy/vault.js';
import { systemClock } from '../../src/shared/clock.js';
import { createLogger } from '../../src/shared/logger.js';
import { startFakeWeComApi } from '../../src/simulator/fake-wecom-api.js';
import { EmbeddedDocumentStore } from '../../src/stores/document-store.embedded.js';
import { RedisStateStore } from '../../src/stores/state-store.redis.js';
import { WeComHttpApi } from '../../src/wecom/api-client.js';
import { TEST_DATA_KEY } from '../helpers/test-app.js';
import { VECTOR_CRYPTO } from '../helpers/vectors.js';

/**
 * Two service instances' delivery workers on one real Redis (BullMQ queue, leases, rate counters), sharing the
 * outbox records as two instances share MongoDB: hundreds of messages, some recorded by both instances, with
 * WeCom failing now and then. Each message goes out exactly once.
 */
const REDIS_URL = process.env.REDIS_URL;
const COUNT = 300;
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe.skipIf(!REDIS_URL)('two delivery workers on one Redis', () => {
  it(`send ${COUNT} messages, each exactly once`, { timeout: 120_000 }, async () => {
    const fake = await startFakeWeComApi({ corpId: VECTOR_CRYPTO.corpId, secret: 'test-app-secret' });
    const dir = mkdtempSync(join(tmpdir(), 'fpfp-two-workers-'));
    const docs = await EmbeddedDocumentStore.open({ dir });
    const prefix = `test:${process.pid}:${Math.random().toString(36).slice(2)}:`;
    const logger = createLogger('silent');
    const vault = createVault(parseDataKey(TEST_DATA_KEY));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }), () => fake.close(), () => docs.close());

    const instance = async () => {
      const state = new RedisStateStore({ url: REDIS_URL!, keyPrefix: prefix });
      const api = new WeComHttpApi({ baseUrl: fake.baseUrl, corpId: VECTOR_CRYPTO.corpId, agentId: 1000002, secret: 'test-app-secret', store: state, logger, retry: { attempts: 2, baseDelayMs: 1 } });
      const real = new Messenger({ api, kfSessions: new KfSessions(state, () => Date.now()), logger });
      // Counts the sends this instance makes.
      const sends = { count: 0 };
      const messenger: Messenger = Object.assign(Object.create(real) as Messenger, {
        sendPart: (...args: Parameters<Messenger['sendPart']>) => {
          sends.count++;
          return real.sendPart(...args);
        },
      });
      const store = new OutboxStore(docs, vault);
      await store.init();
      const queue = new BullDeliveryQueue({ url: REDIS_URL!, prefix: `${prefix}bull`, logger, now: () => new Date(), concurrency: 8 });
      const worker = new OutboxWorker({ store, messenger, state, clock: systemClock, logger, retryBaseMs: 50, rateLimitWaitMs: 200 });
      const outbox = new DurableOutbox({ store, queue, worker, clock: systemClock, logger });
      await outbox.start();
      cleanups.push(async () => {
        await outbox.close();
        await state.close();
      });
      return { outbox, store, queue, sends };
    };
    const [a, b] = [await instance(), await instance()];
    cleanups.push(() => a.queue.obliterate());

    fake.state.failNext('message/send', -1, 6);
    fake.state.failHttpNext('message/send', 502, 6);
    fake.state.failNext('message/send', 45009, 2);
    fake.state.delayNext('message/send', 300, 20);

    // 300 messages to 100 members (3 each), recorded in turn by one instance and the other, ten at a time; while
    // they go out, a third of them is recorded again by the other instance (a retried request).
    const items: OutboxItem[] = Array.from({ length: COUNT }, (_, i) =>
      messagesTo(`test:two:${i}`, 'notice', { channel: 'app', userId: `member${i % 100}` }, [{ type: 'text', text: `消息 ${i}` }]),
    ).flat();
    for (let i = 0; i < COUNT; i += 10) await (i % 20 === 0 ? a : b).outbox.enqueue(items.slice(i, i + 10));
    await Promise.all([a.outbox.enqueue(items.filter((_, i) => i % 3 === 0)), b.outbox.enqueue(items.filter((_, i) => i % 3 === 1))]);

    await expect.poll(async () => (await a.store.find({ status: 'sent' }, COUNT + 10)).length, { timeout: 90_000, interval: 250 }).toBe(COUNT);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const texts = fake.state.appMessages.map((m) => (m.text as { content: string }).content);
    expect(texts).toHaveLength(COUNT);
    expect(new Set(texts).size).toBe(COUNT);
    // A member's messages arrive in the order they were recorded.
    for (let member = 0; member < 100; member++) {
      const got = fake.state.appMessages.filter((m) => m.touser === `member${member}`).map((m) => Number((m.text as { content: string }).content.split(' ')[1]));
      expect(got, `member${member}`).toEqual([...got].sort((x, y) => x - y));
    }
    // Both instances did their share of the work.
    expect(a.sends.count).toBeGreaterThan(COUNT / 5);
    expect(b.sends.count).toBeGreaterThan(COUNT / 5);
  });
});
