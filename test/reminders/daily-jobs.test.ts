import { describe, expect, it } from 'vitest';
import { DailyJobs } from '../../src/reminders/daily-jobs.js';
import { LocalReminderScheduler } from '../../src/reminders/reminder-scheduler.local.js';
import { AdjustableClock, DAY_MS } from '../../src/shared/clock.js';
import { captureLogs } from '../helpers/test-app.js';

describe('the daily jobs', () => {
  it('run in order on each tick; one that fails is logged and the others still run', async () => {
    const { logger, lines } = captureLogs();
    const jobs = new DailyJobs(logger);
    const ran: string[] = [];
    jobs.add('reminders', async () => void ran.push('reminders'));
    jobs.add('monthly check', async () => {
      throw new Error('store down');
    });
    jobs.add('campaigns', async () => void ran.push('campaigns'));
    expect(() => jobs.add('reminders', async () => undefined)).toThrow(/already/);

    await jobs.runAll();

    expect(ran).toEqual(['reminders', 'campaigns']);
    expect(lines.join('')).toContain('"job":"monthly check"');
  });

  it('never overlap: a run asked for during another starts after it', async () => {
    const jobs = new DailyJobs(captureLogs().logger);
    const trace: string[] = [];
    let n = 0;
    jobs.add('slow', async () => {
      const me = ++n;
      trace.push(`start ${me}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
      trace.push(`end ${me}`);
    });
    await Promise.all([jobs.runAll(), jobs.runAll()]);
    expect(trace).toEqual(['start 1', 'end 1', 'start 2', 'end 2']);
  });
});

describe('the in-process scheduler on a clock that 快进 moves', () => {
  it('reads its schedule on the clock, and runs the tick once when the clock jumps, however many days it skips', async () => {
    let real = Date.parse('2026-11-22T08:00:00Z');
    const clock = new AdjustableClock(0, () => real);
    const scheduler = new LocalReminderScheduler({ schedule: { pattern: '30 8 * * *', timeZone: 'Asia/Shanghai' }, logger: captureLogs().logger, now: () => clock.now() });
    const ticks: string[] = [];
    await scheduler.start(async () => void ticks.push(clock.now().toISOString()));
    expect((await scheduler.next())?.toISOString()).toBe('2026-11-23T00:30:00.000Z');

    clock.advance(10 * DAY_MS);
    await scheduler.clockMoved();

    expect(ticks).toEqual(['2026-12-02T08:00:00.000Z']);
    expect((await scheduler.next())?.toISOString()).toBe('2026-12-03T00:30:00.000Z');
    real += 1;
    await scheduler.close();
    await scheduler.clockMoved();
    expect(ticks).toHaveLength(1);
  });
});
