/**
 * What the queue asks of a job run: it was done (or there is nothing left to do), or it should run again at
 * `at` (a retry after a failure, a rate limit, a message not due yet).
 */
export type JobOutcome = { kind: 'done' } | { kind: 'retry'; at: Date };

export type JobHandler = (id: string) => Promise<JobOutcome>;

/**
 * Runs "deliver this outbox record" jobs: once per id at a time across every instance, again when asked.
 * BullMQ on Redis in production (delivery-queue.bullmq.ts); an in-process queue in local mode. Jobs carry
 * only the record id; the record in the document store is the truth, so a lost job is found again by the
 * sweeper and a repeated one finds its record already sent.
 */
export interface DeliveryQueue {
  add(id: string, at?: Date): Promise<void>;
  /** Starts running jobs with `handler` (once). */
  start(handler: JobHandler): void;
  /** Stops taking jobs and waits for running ones. */
  close(): Promise<void>;
}
