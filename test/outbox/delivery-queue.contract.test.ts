import { afterEach, describe, expect, it } from 'vitest';
import { BullDeliveryQueue } from '../../src/outbox/delivery-queue.bullmq.js';
import type { DeliveryQueue, JobOutcome } from '../../src/outbox/delivery-queue.js';
import { LocalDeliveryQueue } from '../../src/outbox/delivery-queue.local.js';
import { createLogger } from '../../src/shared/logger.js';

/**
 * One contract for both delivery queues behind the outbox: BullMQ on a real Redis (production, several
 * instances) and the in-process queue of local mode. Real time, short delays.
 */
const REDIS_URL = process.env.REDIS_URL;
const logger = createLogger('silent');
const now = () => new Date();

const made: DeliveryQueue[] = [];
afterEach(async () => {
  for (const q of made.splice(0)) {
    await q.close();
    if (q instanceof BullDeliveryQueue) await q.obliterate().catch(() => undefined);
  }
});

const kinds: [string, (() => DeliveryQueue) | undefined][] = [
  ['in-process (local mode)', () => new LocalDeliveryQueue({ logger, now })],
  ['BullMQ (Redis)', REDIS_URL ? () => new BullDeliveryQueue({ url: REDIS_URL, prefix: `test:${process.pid}:${Math.random().toString(36).slice(2)}:bull`, logger, now }) : undefined],
];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(done: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await sleep(10);
  }
}

describe.each(kinds)('the delivery queue: %s', (_name, make) => {
  const create = (handler: (id: string) => Promise<JobOutcome>): DeliveryQueue => {
    const q = make!();
    made.push(q);
    q.start(handler);
    return q;
  };

  it.skipIf(!make)('runs a job added twice while it waits once', async () => {
    const runs: string[] = [];
    const q = create(async (id) => (runs.push(id), { kind: 'done' }));
    const at = new Date(Date.now() + 300);
    await q.add('outbox:a', at);
    await q.add('outbox:a', at);
    await q.add('outbox:b');
    await until(() => runs.length >= 2);
    await sleep(500);
    expect(runs.sort()).toEqual(['outbox:a', 'outbox:b']);
  });

  it.skipIf(!make)('runs a job not before the time it was added for', async () => {
    const ran: number[] = [];
    const q = create(async () => (ran.push(Date.now()), { kind: 'done' }));
    const at = Date.now() + 400;
    await q.add('outbox:later', new Date(at));
    await until(() => ran.length === 1);
    expect(ran[0]!).toBeGreaterThanOrEqual(at - 20);
  });

  it.skipIf(!make)('runs a job again at the time its run asks for, and again after a run that threw', { timeout: 20_000 }, async () => {
    const runs: number[] = [];
    const q = create(async () => {
      runs.push(Date.now());
      if (runs.length === 1) return { kind: 'retry', at: new Date(Date.now() + 300) };
      if (runs.length === 2) throw new Error('document store down');
      return { kind: 'done' };
    });
    await q.add('outbox:flaky');
    await until(() => runs.length === 3, 15_000);
    expect(runs[1]! - runs[0]!).toBeGreaterThanOrEqual(280);
    await sleep(300);
    expect(runs).toHaveLength(3);
  });

  it.skipIf(!make)('runs nothing once closed', async () => {
    let runs = 0;
    const q = create(async () => (runs++, { kind: 'done' }));
    await q.add('outbox:late', new Date(Date.now() + 300));
    await q.close();
    await sleep(600);
    expect(runs).toBe(0);
  });
});
