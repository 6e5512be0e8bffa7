import type { Logger } from 'pino';
import { errorSummary } from '../shared/background-work.js';
import { nextRunAfter } from './reminder-scheduler.bullmq.js';
import type { ReminderSchedule, ReminderScheduler } from './reminder-scheduler.js';

/**
 * The in-process scheduler of local mode (no Redis): one timer to the next time of the schedule, computed the
 * way BullMQ computes it (`nextRunAfter`, so both read a pattern alike). It runs on the service's clock, which
 * local mode's 快进 moves forward: `clockMoved` runs the tick once for the new time (never once per skipped
 * time) and sets the timer from there. It serves one process only; with Redis, several instances share the
 * BullMQ one.
 */
export class LocalReminderScheduler implements ReminderScheduler {
  private timer: NodeJS.Timeout | undefined;
  private tick: (() => Promise<void>) | undefined;
  private running: Promise<void> | undefined;
  private closed = false;
  private readonly now: () => number;

  constructor(private readonly deps: { schedule: ReminderSchedule; logger: Logger; now?: () => Date }) {
    this.now = deps.now ? () => deps.now!().getTime() : Date.now;
  }

  async start(tick: () => Promise<void>): Promise<void> {
    if (this.tick || this.closed) return;
    this.tick = tick;
    this.arm();
  }

  async next(): Promise<Date | undefined> {
    const at = this.nextAfter(this.now());
    return at === undefined ? undefined : new Date(at);
  }

  /**
   * The clock jumped ahead: what the schedule would have run on the way runs once now (the tick reads the new
   * date; a day's work is idempotent), and the next run is the schedule's first time after the new now.
   */
  async clockMoved(): Promise<void> {
    if (!this.tick || this.closed) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.runTick();
    this.arm();
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  private nextAfter(ms: number): number | undefined {
    return nextRunAfter(ms, this.deps.schedule);
  }

  private arm(): void {
    if (this.closed) return;
    if (this.timer) clearTimeout(this.timer);
    const at = this.nextAfter(this.now());
    if (at === undefined) return;
    this.timer = setTimeout(() => void this.fire(at), Math.max(0, at - this.now()));
    this.timer.unref();
  }

  private async fire(at: number): Promise<void> {
    this.timer = undefined;
    // A timer may wake a little early: wait for the time itself, so the next one is computed past it.
    if (this.now() < at) await new Promise((resolve) => setTimeout(resolve, at - this.now()));
    await this.runTick();
    this.arm();
  }

  /** One run of the tick at a time: a run asked for while one is under way waits for it. */
  private async runTick(): Promise<void> {
    if (this.closed) return;
    const previous = this.running;
    const run = (async () => {
      await previous;
      if (this.closed) return;
      try {
        await this.tick?.();
      } catch (err) {
        this.deps.logger.error({ err: errorSummary(err) }, 'reminder tick failed');
      }
    })();
    this.running = run;
    await run;
    if (this.running === run) this.running = undefined;
  }
}
