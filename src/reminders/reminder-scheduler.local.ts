import type { Logger } from 'pino';
import { errorSummary } from '../shared/background-work.js';
import { nextRunAfter } from './reminder-scheduler.bullmq.js';
import type { ReminderSchedule, ReminderScheduler } from './reminder-scheduler.js';

/**
 * The in-process scheduler of local mode (no Redis): one timer to the next time of the schedule, computed the
 * way BullMQ computes it (`nextRunAfter`, so both read a pattern alike). It serves one process only;
 * with Redis, several instances share the BullMQ one.
 */
export class LocalReminderScheduler implements ReminderScheduler {
  private timer: NodeJS.Timeout | undefined;
  private tick: (() => Promise<void>) | undefined;
  private running: Promise<void> | undefined;
  private closed = false;

  constructor(private readonly deps: { schedule: ReminderSchedule; logger: Logger }) {}

  async start(tick: () => Promise<void>): Promise<void> {
    if (this.tick || this.closed) return;
    this.tick = tick;
    this.arm();
  }

  async next(): Promise<Date | undefined> {
    const at = this.nextAfter(Date.now());
    return at === undefined ? undefined : new Date(at);
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
    const at = this.nextAfter(Date.now());
    if (this.closed || at === undefined) return;
    this.timer = setTimeout(() => void this.fire(at), Math.max(0, at - Date.now()));
    this.timer.unref();
  }

  private async fire(at: number): Promise<void> {
    // A timer may wake a little early: wait for the time itself, so the next one is computed past it.
    if (Date.now() < at) await new Promise((resolve) => setTimeout(resolve, at - Date.now()));
    if (this.closed) return;
    this.running = (async () => {
      try {
        await this.tick?.();
      } catch (err) {
        this.deps.logger.error({ err: errorSummary(err) }, 'reminder tick failed');
      }
    })();
    await this.running;
    this.running = undefined;
    this.arm();
  }
}
