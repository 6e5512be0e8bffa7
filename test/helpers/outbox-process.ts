/**
 * A delivery worker in a process of its own, for tests that kill it (test/faults/outbox-crash.test.ts): the
 * outbox of the service (embedded document store under DATA_DIR, BullMQ and leases on REDIS_URL under PREFIX,
 * WeCom at API_BASE). With RECORD=n it records n reminders first (due NOT_BEFORE_MS from now, ids under
 * BATCH) and prints "recorded"; it prints "ready" once delivering, and runs until killed.
 */
import { KfSessions } from '../../src/channel/kf-session.js';
import { Messenger } from '../../src/channel/messenger.js';
import { BullDeliveryQueue } from '../../src/outbox/delivery-queue.bullmq.js';
import { DurableOutbox } from '../../src/outbox/durable-outbox.js';
import { messagesTo } from '../../src/outbox/outbox-item.js';
import { OutboxStore } from '../../src/outbox/outbox-store.js';
import { OutboxWorker } from '../../src/outbox/outbox-worker.js';
import { createVault, parseDataKey } from '../../src/privacy/vault.js';
import { systemClock } from '../../src/shared/clock.js';
import { createLogger } from '../../src/shared/logger.js';
import { EmbeddedDocumentStore } from '../../src/stores/document-store.embedded.js';
import { RedisStateStore } from '../../src/stores/state-store.redis.js';
import { WeComHttpApi } from '../../src/wecom/api-client.js';

const env = (name: string): string => {
  const value = process.env[name];
  if (value === undefined) throw new Error(`${name} is not set`);
  return value;
};

async function main(): Promise<void> {
  const logger = createLogger('warn');
  const docs = await EmbeddedDocumentStore.open({ dir: env('DATA_DIR') });
  const state = new RedisStateStore({ url: env('REDIS_URL'), keyPrefix: env('PREFIX') });
  const api = new WeComHttpApi({ baseUrl: env('API_BASE'), corpId: env('CORP_ID'), agentId: 1000002, secret: env('SECRET'), store: state, logger });
  const messenger = new Messenger({ api, kfSessions: new KfSessions(state, () => Date.now()), logger });
  const store = new OutboxStore(docs, createVault(parseDataKey(env('DATA_KEY'))));
  await store.init();
  const queue = new BullDeliveryQueue({ url: env('REDIS_URL'), prefix: `${env('PREFIX')}bull`, logger, now: () => new Date() });
  const worker = new OutboxWorker({ store, messenger, state, clock: systemClock, logger, retryBaseMs: 50 });
  const outbox = new DurableOutbox({ store, queue, worker, clock: systemClock, logger });
  const count = Number(process.env.RECORD ?? 0);
  if (count > 0) {
    const notBefore = new Date(Date.now() + Number(process.env.NOT_BEFORE_MS ?? 0));
    const batch = env('BATCH');
    for (let i = 0; i < count; i++) {
      await outbox.enqueue(messagesTo(`${batch}:${i}`, 'reminder', { channel: 'app', userId: `member${i}` }, [{ type: 'text', text: `${batch} 提醒 ${i}` }], { notBefore }));
    }
    console.log('recorded');
  }
  await outbox.start();
  console.log('ready');
  setInterval(() => undefined, 60_000);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
