import { getNextMillis, Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { errorSummary } from '../shared/background-work.js';
import type { ReminderSchedule, ReminderScheduler } from './reminder-scheduler.js';

const SCHEDULER_ID = 'reminder-tick';

/** The first time of `schedule` after `ms`, read as BullMQ reads a job scheduler's pattern (the local scheduler uses it too). */
export function nextRunAfter(ms: number, schedule: ReminderSchedule): number | undefined {
  return getNextMillis(ms, { pattern: schedule.pattern, tz: schedule.timeZone });
}

/**
 * The reminder tick as a BullMQ job scheduler on the service's Redis: the schedule (pattern and time zone) is
 * kept in Redis, each run is one job with an id of its own, and one worker among all instances takes it.
 * `upsert` makes starting every instance with the same schedule harmless.
 */
export class BullReminderScheduler implements ReminderScheduler {
  private readonly connection: Redis;
  private readonly queue: Queue;
  private worker: Worker | undefined;
  private workerConnection: Redis | undefined;

  constructor(private readonly opts: { url: string; prefix: string; schedule: ReminderSchedule; logger: Logger; queueName?: string }) {
    this.connection = new Redis(opts.url, { maxRetriesPerRequest: null, enableReadyCheck: true });
    this.connection.on('error', (err: Error) => opts.logger.warn({ err: errorSummary(err) }, 'reminder scheduler: Redis connection error'));
    this.queue = new Queue(this.name, { connection: this.connection, prefix: opts.prefix });
    this.queue.on('error', (err: Error) => opts.logger.warn({ err: errorSummary(err) }, 'reminder queue error'));
  }

  private get name(): string {
    return this.opts.queueName ?? 'reminders';
  }

  async start(tick: () => Promise<void>): Promise<void> {
    if (this.worker) return;
    const { pattern, timeZone } = this.opts.schedule;
    await this.queue.upsertJobScheduler(SCHEDULER_ID, { pattern, tz: timeZone }, { name: 'tick', opts: { removeOnComplete: 100, removeOnFail: 100 } });
    this.workerConnection = this.connection.duplicate();
    this.worker = new Worker(this.name, async () => tick(), { connection: this.workerConnection, prefix: this.opts.prefix, concurrency: 1 });
    this.worker.on('error', (err: Error) => this.opts.logger.warn({ err: errorSummary(err) }, 'reminder worker error'));
    this.worker.on('failed', (_job, err) => this.opts.logger.error({ err: errorSummary(err) }, 'reminder tick failed'));
  }

  async next(): Promise<Date | undefined> {
    const scheduler = await this.queue.getJobScheduler(SCHEDULER_ID);
    return scheduler?.next ? new Date(scheduler.next) : undefined;
  }

  async close(): Promise<void> {
    await this.worker?.close();
    await this.queue.close();
    this.workerConnection?.disconnect();
    this.connection.disconnect();
  }

  /** Removes the schedule and its jobs (tests with a throwaway prefix). */
  async obliterate(): Promise<void> {
    await this.queue.removeJobScheduler(SCHEDULER_ID);
    await this.queue.obliterate({ force: true });
  }
}
