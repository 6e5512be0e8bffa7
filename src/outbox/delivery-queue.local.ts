import type { Logger } from 'pino';
import { errorSummary } from '../shared/background-work.js';
import type { DeliveryQueue, JobHandler } from './delivery-queue.js';

/** A job that throws (the document store is down) runs again after this long. */
const RETRY_AFTER_ERROR_MS = 2_000;

/**
 * The in-process delivery queue of local mode (no Redis): one timer per scheduled id, one run per id at a
 * time. It keeps nothing itself: pending records live in the document store, and the outbox's sweeper
 * schedules them again after a restart.
 */
export class LocalDeliveryQueue implements DeliveryQueue {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly running = new Map<string, Promise<void>>();
  private readonly again = new Set<string>();
  /** Real-time ms at which each scheduled id runs. */
  private readonly dueAt = new Map<string, number>();
  /** The clock's time (ms) each scheduled id waits for: it differs from real time in local mode after a 快进. */
  private readonly dueOnClock = new Map<string, number>();
  private handler: JobHandler | undefined;
  private closed = false;

  constructor(private readonly deps: { logger: Logger; now: () => Date }) {}

  async add(id: string, at?: Date): Promise<void> {
    if (this.closed) return;
    if (this.running.has(id)) {
      this.again.add(id);
      return;
    }
    this.schedule(id, (at?.getTime() ?? 0) - this.deps.now().getTime());
  }

  start(handler: JobHandler): void {
    this.handler = handler;
  }

  /** Resolves once no job is running and none is due within `horizonMs` (tests wait on this). */
  async idle(horizonMs = 50): Promise<void> {
    for (;;) {
      if (this.running.size > 0) {
        await Promise.allSettled([...this.running.values()]);
        continue;
      }
      if (this.timers.size === 0 && this.again.size === 0) return;
      // A timer due soon (a job added just now) counts as work; one set far ahead (a retry in a minute) does not.
      await new Promise((resolve) => setTimeout(resolve, 5));
      if (this.running.size === 0 && !this.dueWithin(horizonMs)) return;
    }
  }

  private dueWithin(ms: number): boolean {
    return [...this.timers.keys()].some((id) => (this.dueAt.get(id) ?? 0) <= Date.now() + ms);
  }

  /**
   * The clock jumped ahead (local mode's 快进): jobs waiting for a time that has now come run at once; the
   * others wait for their own clock time again.
   */
  clockMoved(): void {
    const now = this.deps.now().getTime();
    for (const [id, timer] of [...this.timers]) {
      clearTimeout(timer);
      this.timers.delete(id);
      this.schedule(id, (this.dueOnClock.get(id) ?? now) - now);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    this.dueAt.clear();
    this.dueOnClock.clear();
    await Promise.allSettled([...this.running.values()]);
  }

  private run(id: string): void {
    const handler = this.handler;
    if (!handler || this.closed) return;
    const job = (async () => {
      try {
        const outcome = await handler(id);
        if (outcome.kind === 'retry') this.schedule(id, outcome.at.getTime() - this.deps.now().getTime());
      } catch (err) {
        this.deps.logger.error({ err: errorSummary(err), job: 'outbox' }, 'outbox job failed; trying again');
        this.schedule(id, RETRY_AFTER_ERROR_MS);
      }
    })();
    this.running.set(id, job);
    void job.finally(() => {
      this.running.delete(id);
      if (this.again.delete(id)) void this.add(id);
    });
  }

  private schedule(id: string, delayMs: number): void {
    const delay = Math.max(0, delayMs);
    if (this.closed) return;
    const timer = this.timers.get(id);
    if (timer) {
      // Asked again for sooner (the sweeper after the clock moved on): it runs then; otherwise the earlier time stands.
      if ((this.dueAt.get(id) ?? 0) <= Date.now() + delay + 1_000) return;
      clearTimeout(timer);
      this.timers.delete(id);
    }
    this.dueAt.set(id, Date.now() + delay);
    this.dueOnClock.set(id, this.deps.now().getTime() + delay);
    const next = setTimeout(() => {
      this.timers.delete(id);
      this.dueAt.delete(id);
      this.dueOnClock.delete(id);
      this.run(id);
    }, delay);
    this.timers.set(id, next);
  }
}
