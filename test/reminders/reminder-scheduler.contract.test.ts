import { afterEach, describe, expect, it } from 'vitest';
import type { ReminderSchedule, ReminderScheduler } from '../../src/reminders/reminder-scheduler.js';
import { BullReminderScheduler } from '../../src/reminders/reminder-scheduler.bullmq.js';
import { LocalReminderScheduler } from '../../src/reminders/reminder-scheduler.local.js';
import { createLogger } from '../../src/shared/logger.js';

/**
 * One contract for both schedulers of the reminder tick: BullMQ job schedulers on a real Redis (production,
 * several instances) and the in-process timer of local mode. Real time: a pattern with seconds keeps it short.
 */
const REDIS_URL = process.env.REDIS_URL;
const logger = createLogger('silent');
const EVERY_SECOND: ReminderSchedule = { pattern: '* * * * * *', timeZone: 'Asia/Shanghai' };

const made: ReminderScheduler[] = [];
afterEach(async () => {
  for (const s of made.splice(0)) {
    await s.close();
    if (s instanceof BullReminderScheduler) await s.obliterate().catch(() => undefined);
  }
});

type Make = (schedule: ReminderSchedule, shared?: string) => ReminderScheduler;

const kinds: [string, Make | undefined][] = [
  ['in-process (local mode)', (schedule) => new LocalReminderScheduler({ schedule, logger })],
  [
    'BullMQ job scheduler (Redis)',
    REDIS_URL
      ? (schedule, shared) => new BullReminderScheduler({ url: REDIS_URL, prefix: `test:${process.pid}:${shared ?? Math.random().toString(36).slice(2)}:bull`, schedule, logger })
      : undefined,
  ],
];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.each(kinds)('the reminder scheduler: %s', (_name, make) => {
  const create: Make = (schedule, shared) => {
    const s = make!(schedule, shared);
    made.push(s);
    return s;
  };

  it.skipIf(!make)('runs the tick at each time its pattern names, once per time', { timeout: 20_000 }, async () => {
    const runs: number[] = [];
    const scheduler = create(EVERY_SECOND);
    await scheduler.start(async () => void runs.push(Date.now()));
    await scheduler.start(async () => void runs.push(-1)); // starting again changes nothing
    await sleep(3_600);
    expect(runs.length).toBeGreaterThanOrEqual(2);
    expect(runs.length).toBeLessThanOrEqual(5);
    expect(runs).not.toContain(-1);
    const seconds = runs.map((t) => Math.floor(t / 1000));
    expect(new Set(seconds).size).toBe(seconds.length);
  });

  it.skipIf(!make)('reads the pattern in its time zone: 08:30 in Shanghai is 00:30 UTC', async () => {
    const scheduler = create({ pattern: '30 8 * * *', timeZone: 'Asia/Shanghai' });
    await scheduler.start(async () => undefined);
    const next = await scheduler.next();
    expect(next).toBeInstanceOf(Date);
    expect([next!.getUTCHours(), next!.getUTCMinutes(), next!.getUTCSeconds()]).toEqual([0, 30, 0]);
    expect(next!.getTime() - Date.now()).toBeGreaterThan(0);
    expect(next!.getTime() - Date.now()).toBeLessThanOrEqual(86_400_000);
  });

  it.skipIf(!make)('stops once closed', { timeout: 20_000 }, async () => {
    let runs = 0;
    const scheduler = create(EVERY_SECOND);
    await scheduler.start(async () => void runs++);
    await sleep(1_500);
    await scheduler.close();
    const then = runs;
    await sleep(2_000);
    expect(runs).toBe(then);
  });

  it.skipIf(!make)('keeps running after a tick that failed', { timeout: 20_000 }, async () => {
    let runs = 0;
    const scheduler = create(EVERY_SECOND);
    await scheduler.start(async () => {
      runs++;
      if (runs === 1) throw new Error('the document store is down');
    });
    await sleep(3_600);
    expect(runs).toBeGreaterThanOrEqual(2);
  });
});

describe.skipIf(!REDIS_URL)('BullMQ job scheduler, several instances on one Redis', () => {
  it('runs each time once among them all', { timeout: 30_000 }, async () => {
    const shared = `shared${Math.random().toString(36).slice(2)}`;
    const runs: { instance: number; second: number }[] = [];
    const instances = [0, 1, 2].map(() => new BullReminderScheduler({ url: REDIS_URL!, prefix: `test:${process.pid}:${shared}:bull`, schedule: EVERY_SECOND, logger }));
    made.push(...instances);
    for (const [i, s] of instances.entries()) await s.start(async () => void runs.push({ instance: i, second: Math.floor(Date.now() / 1000) }));
    await sleep(5_500);
    expect(runs.length).toBeGreaterThanOrEqual(4);
    const seconds = runs.map((r) => r.second);
    expect(new Set(seconds).size).toBe(seconds.length);
  });
});
