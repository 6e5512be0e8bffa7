import { createHash } from 'node:crypto';
import { DelayedError, Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { errorSummary } from '../shared/background-work.js';
import type { DeliveryQueue, JobHandler } from './delivery-queue.js';

export interface BullDeliveryQueueOptions {
  url: string;
  /** Key prefix, so deployments (and tests) sharing a Redis keep apart; BullMQ adds `:<queue>:…`. */
  prefix: string;
  logger: Logger;
  now: () => Date;
  concurrency?: number;
  queueName?: string;
}

/** BullMQ refuses ':' in custom job ids; a hash of the record id is deterministic and always allowed. */
function jobIdOf(id: string): string {
  return `o${createHash('sha256').update(id).digest('hex').slice(0, 40)}`;
}

/**
 * Delivery jobs on BullMQ: one job per record id (`jobId` derived from it, so adding it again while it waits
 * is a no-op), run by one worker at a time across every instance; a stalled job (its worker died) is run
 * again by another. A job asks to run again later by moving itself to the delayed set.
 */
export class BullDeliveryQueue implements DeliveryQueue {
  private readonly connection: Redis;
  private readonly queue: Queue;
  private worker: Worker | undefined;
  private workerConnection: Redis | undefined;

  constructor(private readonly opts: BullDeliveryQueueOptions) {
    // BullMQ's blocking commands need a connection that never gives up on a request.
    this.connection = new Redis(opts.url, { maxRetriesPerRequest: null, enableReadyCheck: true });
    this.connection.on('error', (err: Error) => opts.logger.warn({ err: errorSummary(err) }, 'outbox queue: Redis connection error'));
    this.queue = new Queue(opts.queueName ?? 'outbox', { connection: this.connection, prefix: opts.prefix });
    this.queue.on('error', (err: Error) => opts.logger.warn({ err: errorSummary(err) }, 'outbox queue error'));
  }

  async add(id: string, at?: Date): Promise<void> {
    const delay = Math.max(0, (at?.getTime() ?? 0) - this.opts.now().getTime());
    // Already waiting for later than now asked (the sweeper after the clock moved on): it runs sooner.
    const waiting = await this.queue.getJob(jobIdOf(id));
    if (waiting && waiting.timestamp + (waiting.delay ?? 0) > Date.now() + delay + 1_000 && (await waiting.isDelayed())) {
      await waiting.changeDelay(delay).catch(() => undefined);
      return;
    }
    await this.queue.add(
      'deliver',
      { id },
      {
        jobId: jobIdOf(id),
        delay,
        // The record keeps the result; a finished job may go (adding the id again then finds the record sent).
        removeOnComplete: true,
        removeOnFail: { count: 1000 },
        // A run that throws (the document store is down) is tried again; the sweeper covers the rest.
        attempts: 8,
        backoff: { type: 'exponential', delay: 1_000 },
      },
    );
  }

  start(handler: JobHandler): void {
    if (this.worker) return;
    this.workerConnection = this.connection.duplicate();
    this.worker = new Worker(
      this.opts.queueName ?? 'outbox',
      async (job, token) => {
        const outcome = await handler((job.data as { id: string }).id);
        if (outcome.kind === 'retry') {
          await job.moveToDelayed(Math.max(Date.now(), Date.now() + outcome.at.getTime() - this.opts.now().getTime()), token);
          throw new DelayedError();
        }
      },
      // A worker that dies frees its jobs soon: its lock runs out after 10 s, stalled jobs are looked for every 5 s.
      { connection: this.workerConnection, prefix: this.opts.prefix, concurrency: this.opts.concurrency ?? 8, lockDuration: 10_000, stalledInterval: 5_000 },
    );
    this.worker.on('error', (err: Error) => this.opts.logger.warn({ err: errorSummary(err) }, 'outbox worker error'));
    this.worker.on('failed', (job, err) => this.opts.logger.error({ err: errorSummary(err), attempts: job?.attemptsMade }, 'outbox job failed'));
  }

  /** Resolves once nothing is waiting or running and nothing delayed is due within `horizonMs` (tests). */
  async idle(horizonMs = 50): Promise<void> {
    for (;;) {
      const counts = await this.queue.getJobCounts('wait', 'active', 'prioritized');
      if ((counts.wait ?? 0) + (counts.active ?? 0) + (counts.prioritized ?? 0) === 0) {
        const delayed = await this.queue.getDelayed(0, 100);
        if (!delayed.some((job) => job.timestamp + (job.delay ?? 0) <= Date.now() + horizonMs)) return;
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  async close(): Promise<void> {
    await this.worker?.close();
    await this.queue.close();
    this.workerConnection?.disconnect();
    this.connection.disconnect();
  }

  /** Removes every job of this queue (tests with a throwaway prefix). */
  async obliterate(): Promise<void> {
    await this.queue.obliterate({ force: true });
  }
}
