import type { Logger } from 'pino';
import { errorSummary } from '../shared/background-work.js';
import type { Clock } from '../shared/clock.js';
import type { DeliveryQueue } from './delivery-queue.js';
import type { HouseholdRoutes } from './household-routes.js';
import type { Outbox, OutboxItem } from './outbox-item.js';
import { CLAIM_TTL_MS, type OutboxWorker } from './outbox-worker.js';
import type { OutboxRecord, OutboxStore } from './outbox-store.js';

/** How often the sweeper looks for records whose job was lost (Redis restarted empty, a crash before `add`). */
const SWEEP_EVERY_MS = 60_000;
/** A pending record untouched this long without a job is scheduled again. */
const STALE_PENDING_MS = 2 * 60_000;

/**
 * The outbox: `enqueue` records each item in the document store, then schedules its job. The record is the
 * truth: the sweeper finds records whose job went missing and schedules them again, so a lost job delays a
 * message but never drops it, and a job run twice finds its record already sent.
 */
export class DurableOutbox implements Outbox {
  private sweeper: NodeJS.Timeout | undefined;

  constructor(private readonly deps: { store: OutboxStore; queue: DeliveryQueue; worker: OutboxWorker; clock: Clock; logger: Logger; routes?: HouseholdRoutes }) {}

  async enqueue(items: OutboxItem[]): Promise<void> {
    const now = this.deps.clock.now();
    // All recorded first, in order (their createdAt orders one person's messages), then scheduled. A household
    // message takes its way now, while the decision it reports is being confirmed to the staff member.
    for (const item of items) {
      if (this.deps.routes && item.purpose === 'householdOutcome' && !(await this.deps.store.get(item.id))) await this.deps.store.record(await this.deps.routes.decide(item), now);
      else await this.deps.store.record(item, now);
    }
    for (const item of items) await this.deps.queue.add(item.id, item.notBefore);
  }

  /**
   * A household wrote on 微信客服 again, so its reply window is open: the household messages held for it
   * (neither way was open) go out now, oldest first. Returns how many were taken up again.
   */
  async householdWrote(openKfId: string, externalUserId: string): Promise<number> {
    const { store, queue, clock, logger } = this.deps;
    const held = await store.find({ recipient: `kf:${openKfId}:${externalUserId}`, status: 'held', purpose: 'householdOutcome' }, 50);
    let resumed = 0;
    for (const record of held) {
      const next: OutboxRecord = { ...record, status: 'pending', route: 'kf', updatedAt: clock.now().toISOString() };
      delete next.reason;
      // Another instance taking it up at the same time wins or loses here: one of them schedules it.
      if (!(await store.update(record, next))) continue;
      await queue.add(record._id);
      resumed++;
    }
    if (resumed > 0) logger.info({ resumed }, 'held household messages sent again: the household wrote, its window is open');
    return resumed;
  }

  /** Starts delivering, and schedules what a previous run left pending. */
  async start(): Promise<void> {
    this.deps.queue.start((id) => this.deps.worker.run(id));
    await this.sweep(true);
    this.sweeper = setInterval(() => void this.sweep(false), SWEEP_EVERY_MS);
    this.sweeper.unref();
  }

  async close(): Promise<void> {
    if (this.sweeper) clearInterval(this.sweeper);
    await this.deps.queue.close();
  }

  /** Schedules pending records (all of them at start, only stale ones later) and records abandoned mid-send. */
  async sweep(all: boolean): Promise<number> {
    const { store, queue, clock, logger } = this.deps;
    try {
      const now = clock.now().getTime();
      const pending = await store.find({ status: 'pending' }, 5_000);
      const sending = await store.find({ status: 'sending' }, 5_000);
      const due = [
        ...pending.filter((r) => all || Date.parse(r.updatedAt) + STALE_PENDING_MS <= now),
        // Claimed by a worker that may have died mid-send; its job waits for the recipient's lease to be free.
        ...sending.filter((r) => all || Date.parse(r.claimedAt ?? r.updatedAt) + CLAIM_TTL_MS <= now),
      ];
      for (const r of due) await queue.add(r._id, new Date(r.retryAt ?? r.notBefore));
      if (due.length > 0) logger.info({ scheduled: due.length }, 'outbox: pending messages scheduled');
      return due.length;
    } catch (err) {
      logger.error({ err: errorSummary(err) }, 'outbox sweep failed');
      return 0;
    }
  }
}
