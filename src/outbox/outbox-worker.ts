import type { Logger } from 'pino';
import type { Messenger, PartOutcome } from '../channel/messenger.js';
import { errorSummary } from '../shared/background-work.js';
import type { Clock } from '../shared/clock.js';
import { tryLease } from '../shared/lease.js';
import type { StateStore } from '../stores/state-store.js';
import { WeComApiError, WeComConfigError, WeComNetworkError, WeComRateLimitError } from '../wecom/errors.js';
import type { JobOutcome } from './delivery-queue.js';
import type { OutboxRecord, OutboxStore } from './outbox-store.js';

/**
 * The sweeper schedules again a record claimed longer ago than this (its worker probably died mid-send).
 * Longer than any send can take (the API client gives up after 3 tries of at most 4 s).
 */
export const CLAIM_TTL_MS = 20_000;
/** Tries before a message is marked failed for good (backoff doubles from OUTBOX_RETRY_BASE_MS, 2 s by default, capped at 5 min: about 45 min in all). */
export const MAX_ATTEMPTS = 12;
const BACKOFF_CAP_MS = 5 * 60_000;
/** WeCom drops app messages beyond 30 a minute to one member without telling: we stay below. */
export const APP_MESSAGES_PER_MEMBER_MINUTE = 25;
/** The errcode the fake (and, UNCONFIRMED, WeCom) answers for a kf msgid already used: that part was sent before. */
export const KF_MSGID_REUSED = 95017;
/** A card's task_id already used (42014): after an uncertain try, that card was delivered. */
const TASK_ID_REUSED = 42014;
/** A card update's response_code already used (the fake's 40058, UNCONFIRMED): after an uncertain try, it was applied. */
const RESPONSE_CODE_USED = 40058;
/** Transport failures after which the request surely did not reach WeCom; any other one may have. */
const NOT_DELIVERED = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN']);
/**
 * Answers that no retry can change: the request itself is wrong (bad parameter, content, msgtype, unknown
 * recipient). Anything else WeCom refuses is tried again with backoff, up to MAX_ATTEMPTS, then failed.
 */
const PERMANENT_ERRCODES: ReadonlySet<number> = new Set([40003, 40008, 40058, 41011, 42014, 44004, 45002, 47001, 81013]);
/** A recipient whose queue another worker is draining is tried again this soon. */
const RECIPIENT_BUSY_RETRY_MS = 300;

type PartResult = { kind: 'sent'; responseCode?: string } | { kind: 'held'; reason: string } | { kind: 'retry'; at: Date; reason: string; ambiguous?: boolean } | { kind: 'failed'; reason: string };

/**
 * Delivers outbox records. A job names one record; the worker takes the lease of its recipient and sends
 * that recipient's due records oldest first, so a person's messages arrive in order and one person's
 * trouble never holds up another's. Each record is claimed with a version check, its progress (parts
 * accepted by WeCom) is kept, and it ends `sent`, `held` (微信客服 window closed) or `failed` with a reason.
 */
export class OutboxWorker {
  constructor(private readonly deps: { store: OutboxStore; messenger: Messenger; state: StateStore; clock: Clock; logger: Logger; retryBaseMs: number }) {}

  async run(id: string): Promise<JobOutcome> {
    const record = await this.deps.store.get(id);
    if (!record || !this.open(record)) return { kind: 'done' };
    // Records are claimed only under their recipient's lease: once we hold it, a record still `sending` was
    // left by a worker that died (or lost its lease) mid-send, and is taken again at once.
    const lease = await tryLease(this.deps.state, `outbox:recipient:${record.recipient}`, 15_000);
    if (!lease) return { kind: 'retry', at: new Date(this.deps.clock.now().getTime() + RECIPIENT_BUSY_RETRY_MS) };
    try {
      const now = this.deps.clock.now().toISOString();
      for (const queued of await this.deps.store.queueOf(record.recipient)) {
        // One not due yet (a reminder for tomorrow) holds nothing back; it has its own job.
        if (queued.notBefore > now) continue;
        const outcome = await this.deliver(queued);
        // One being retried holds back the later ones of the same person, so their order is kept.
        if (outcome.kind === 'retry') return outcome;
      }
      return { kind: 'done' };
    } finally {
      await lease.release();
    }
  }

  private open(record: OutboxRecord): boolean {
    return record.status === 'pending' || record.status === 'sending';
  }

  /** Sends one record from where it left off. */
  private async deliver(seen: OutboxRecord): Promise<JobOutcome> {
    const { store, clock, logger } = this.deps;
    const now = clock.now();
    if (!this.open(seen)) return { kind: 'done' };
    const due = Date.parse(seen.retryAt ?? seen.notBefore);
    if (due > now.getTime()) return { kind: 'retry', at: new Date(due) };
    const uncertain = seen.status === 'sending' || seen.uncertain === true;
    const claimed: OutboxRecord = { ...seen, status: 'sending', attempts: seen.attempts + 1, claimedAt: now.toISOString(), updatedAt: now.toISOString() };
    if (!(await store.update(seen, claimed))) return { kind: 'done' };

    const parts = this.deps.messenger.parts(store.delivery(claimed), claimed._id);
    let progress = claimed.progress;
    let result: PartResult = { kind: 'sent' };
    const responseCodes = [...(claimed.responseCodes ?? [])];
    while (progress < parts.length) {
      result = await this.sendPart(parts[progress]!, uncertain && progress === claimed.progress, claimed.attempts);
      if (result.kind !== 'sent') break;
      if (result.responseCode) responseCodes.push(result.responseCode);
      progress++;
    }
    const at = clock.now().toISOString();
    const base = { ...claimed, progress, updatedAt: at, ...(responseCodes.length ? { responseCodes } : {}) } as OutboxRecord;
    delete base.claimedAt;
    delete base.retryAt;
    delete base.uncertain;
    let next: OutboxRecord;
    switch (result.kind) {
      case 'sent':
        next = { ...base, status: 'sent', sentAt: at };
        break;
      case 'held':
        next = { ...base, status: 'held', reason: result.reason };
        break;
      case 'failed':
        next = { ...base, status: 'failed', reason: result.reason };
        break;
      case 'retry':
        next =
          claimed.attempts >= MAX_ATTEMPTS
            ? { ...base, status: 'failed', reason: result.reason }
            : { ...base, status: 'pending', retryAt: result.at.toISOString(), reason: result.reason, ...(result.ambiguous || (uncertain && progress === claimed.progress) ? { uncertain: true } : {}) };
        break;
    }
    await store.update(claimed, next);
    if (next.status !== 'sent') logger.warn({ outboxId: next._id, purpose: next.purpose, status: next.status, reason: next.reason, attempts: next.attempts }, 'outbox message not sent');
    return next.status === 'pending' && next.retryAt ? { kind: 'retry', at: new Date(next.retryAt) } : { kind: 'done' };
  }

  private async sendPart(part: Parameters<Messenger['sendPart']>[0], uncertain: boolean, attempts: number): Promise<PartResult> {
    if (part.kind === 'app') {
      // WeCom counts on its own clock, so this does too (real time, not the service's business clock).
      const real = Date.now();
      const minute = Math.floor(real / 60_000);
      const sent = await this.deps.state.increment(`outbox:rate:${part.message.touser.toLowerCase()}:${minute}`, 120_000);
      const wait = (minute + 1) * 60_000 + 1_000 - real;
      if (sent > APP_MESSAGES_PER_MEMBER_MINUTE) return { kind: 'retry', at: new Date(this.deps.clock.now().getTime() + wait), reason: 'member_rate' };
    }
    let outcome: PartOutcome;
    try {
      outcome = await this.deps.messenger.sendPart(part, { uncertain });
    } catch (err) {
      return this.classify(err, part, uncertain, attempts);
    }
    if (outcome.status !== 'sent') return { kind: 'held', reason: outcome.reason };
    return outcome.responseCode ? { kind: 'sent', responseCode: outcome.responseCode } : { kind: 'sent' };
  }

  private classify(err: unknown, part: Parameters<Messenger['sendPart']>[0], uncertain: boolean, attempts: number): PartResult {
    const now = this.deps.clock.now().getTime();
    if (err instanceof WeComRateLimitError) return { kind: 'retry', at: new Date(now + err.retryAfterMs), reason: `errcode ${err.errcode}` };
    // The part was accepted before (a crash or a timeout between WeCom's answer and our mark): it is sent.
    if (err instanceof WeComApiError && part.kind === 'kf' && err.errcode === KF_MSGID_REUSED) return { kind: 'sent' };
    if (err instanceof WeComApiError && uncertain && part.kind === 'app' && part.message.msgtype === 'template_card' && err.errcode === TASK_ID_REUSED) return { kind: 'sent' };
    if (err instanceof WeComApiError && uncertain && part.kind === 'cardUpdate' && err.errcode === RESPONSE_CODE_USED) return { kind: 'sent' };
    if (err instanceof WeComConfigError) return { kind: 'retry', at: new Date(now + BACKOFF_CAP_MS), reason: `errcode ${err.errcode}` };
    if (err instanceof WeComApiError && PERMANENT_ERRCODES.has(err.errcode)) return { kind: 'failed', reason: `errcode ${err.errcode}` };
    const reason = err instanceof WeComNetworkError ? err.reason : err instanceof WeComApiError ? `errcode ${err.errcode}` : errorSummary(err).type;
    const delay = Math.min(BACKOFF_CAP_MS, this.deps.retryBaseMs * 2 ** Math.max(0, attempts - 1));
    const ambiguous = err instanceof WeComNetworkError && !NOT_DELIVERED.has(err.reason);
    return { kind: 'retry', at: new Date(now + delay), reason, ...(ambiguous ? { ambiguous } : {}) };
  }
}
