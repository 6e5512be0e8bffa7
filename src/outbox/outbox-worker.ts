import type { Logger } from 'pino';
import type { Messenger, PartOutcome } from '../channel/messenger.js';
import { errorSummary } from '../shared/background-work.js';
import type { Clock } from '../shared/clock.js';
import { tryLease } from '../shared/lease.js';
import type { StateStore } from '../stores/state-store.js';
import { WeComApiError, WeComConfigError, WeComNetworkError, WeComRateLimitError } from '../wecom/errors.js';
import type { JobOutcome } from './delivery-queue.js';
import type { DeliveryGuard } from './delivery-guard.js';
import type { HouseholdRoutes } from './household-routes.js';
import { appRecipients, type Delivery, type DeliveryPurpose } from './outbox-item.js';
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
/** WeCom blocks an API for a minute beyond 10,000 calls a minute per corp (wecom-channel.md §9): every instance together stays below. */
export const API_CALLS_PER_MINUTE = 9_000;
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
/**
 * Purposes whose messages are never meant to repeat word for word (each names its case, day or step), so they
 * always go with WeCom's duplicate check: a copy held up in the network that lands after its own retry is
 * dropped by WeCom as well. Replies do not (a person may rightly get the same question twice).
 */
const ALWAYS_DEDUPED: ReadonlySet<DeliveryPurpose> = new Set(['notice', 'reminder', 'digest', 'alert', 'householdOutcome']);
/** A recipient whose queue another worker is draining is tried again this soon. */
const RECIPIENT_BUSY_RETRY_MS = 300;

type PartResult = { kind: 'sent'; responseCode?: string } | { kind: 'held'; reason: string } | { kind: 'retry'; at: Date; reason: string; ambiguous?: boolean } | { kind: 'failed'; reason: string };

/**
 * Delivers outbox records. A job names one record; the worker takes the lease of its recipient and sends
 * that recipient's due records oldest first, so a person's messages arrive in order and one person's
 * trouble never holds up another's. Each record is claimed with a version check, its progress (parts
 * accepted by WeCom) is kept, and it ends `sent`, `held` (微信客服 window closed) or `failed` with a reason.
 */
export interface OutboxWorkerDeps {
  store: OutboxStore;
  messenger: Messenger;
  state: StateStore;
  clock: Clock;
  logger: Logger;
  retryBaseMs: number;
  /** How long to wait after WeCom answers a frequency limit (45009/45011: it blocks for a minute); 60 s unless set. */
  rateLimitWaitMs?: number;
  /** Reroutes a household message whose 微信客服 window closed before it went out. */
  routes?: HouseholdRoutes;
  /** Looks again at a reminder (a record with deadline items) just before it goes out. */
  guard?: DeliveryGuard;
}

export class OutboxWorker {
  constructor(private readonly deps: OutboxWorkerDeps) {}

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
    let claimed: OutboxRecord = { ...seen, status: 'sending', attempts: seen.attempts + 1, claimedAt: now.toISOString(), updatedAt: now.toISOString() };
    if (!(await store.update(seen, claimed))) return { kind: 'done' };

    let delivery = store.delivery(claimed);
    // A reminder is looked at again now: never sent for something done since it was recorded.
    if (this.deps.guard && claimed.items && claimed.progress === 0) {
      const verdict = await this.deps.guard(claimed, delivery);
      if (verdict.kind === 'cancel') return this.finish(claimed, { ...this.settledBase(claimed, claimed.progress, []), status: 'cancelled', reason: verdict.reason });
      if (verdict.kind === 'replace') {
        const next: OutboxRecord = { ...store.withDelivery(claimed, verdict.delivery), ...(verdict.items ? { items: verdict.items } : {}) };
        if (!(await store.update(claimed, next))) return { kind: 'done' };
        [claimed, delivery] = [next, verdict.delivery];
      }
    }
    let sent = await this.sendParts(claimed, delivery, uncertain);
    // The household's window closed (or a servicer took the session) after the route was chosen: its contacts are asked instead.
    if (sent.result.kind === 'held' && claimed.purpose === 'householdOutcome' && sent.progress === 0 && this.deps.routes) {
      const relay = await this.deps.routes.relay(claimed.caseId, delivery);
      if (relay) {
        const next: OutboxRecord = { ...store.withDelivery(claimed, relay.delivery), route: relay.route };
        if (!(await store.update(claimed, next))) return { kind: 'done' };
        logger.info({ outboxId: claimed._id, route: relay.route }, 'household message rerouted to its monitoring contacts');
        [claimed, delivery] = [next, relay.delivery];
        sent = await this.sendParts(claimed, delivery, false);
      } else {
        claimed = { ...claimed, route: 'none' };
      }
    }

    const { result, progress, responseCodes } = sent;
    const base = this.settledBase(claimed, progress, responseCodes);
    const at = base.updatedAt;
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
    return this.finish(claimed, next);
  }

  /** Sends the parts of `delivery` not yet accepted, stopping at the first that is not. */
  private async sendParts(claimed: OutboxRecord, delivery: Delivery, uncertain: boolean): Promise<{ result: PartResult; progress: number; responseCodes: string[] }> {
    const parts = this.deps.messenger.parts(delivery, claimed._id);
    let progress = claimed.progress;
    let result: PartResult = { kind: 'sent' };
    const responseCodes = [...(claimed.responseCodes ?? [])];
    while (progress < parts.length) {
      const part = parts[progress]!;
      const checked = (uncertain && progress === claimed.progress) || (part.kind === 'app' && ALWAYS_DEDUPED.has(claimed.purpose));
      result = await this.sendPart(part, checked, claimed.attempts);
      if (result.kind !== 'sent') break;
      if (result.responseCode) responseCodes.push(result.responseCode);
      progress++;
    }
    return { result, progress, responseCodes };
  }

  /** The claimed record as it stands after a try, before its new status. */
  private settledBase(claimed: OutboxRecord, progress: number, responseCodes: string[]): OutboxRecord {
    const base = { ...claimed, progress, updatedAt: this.deps.clock.now().toISOString(), ...(responseCodes.length ? { responseCodes } : {}) } as OutboxRecord;
    delete base.claimedAt;
    delete base.retryAt;
    delete base.uncertain;
    return base;
  }

  private async finish(claimed: OutboxRecord, next: OutboxRecord): Promise<JobOutcome> {
    await this.deps.store.update(claimed, next);
    if (next.status !== 'sent') this.deps.logger.warn({ outboxId: next._id, purpose: next.purpose, status: next.status, reason: next.reason, attempts: next.attempts }, 'outbox message not sent');
    return next.status === 'pending' && next.retryAt ? { kind: 'retry', at: new Date(next.retryAt) } : { kind: 'done' };
  }

  private async sendPart(part: Parameters<Messenger['sendPart']>[0], uncertain: boolean, attempts: number): Promise<PartResult> {
    const limited = await this.overLimit(part);
    if (limited) return limited;
    let outcome: PartOutcome;
    try {
      outcome = await this.deps.messenger.sendPart(part, { uncertain });
    } catch (err) {
      return this.classify(err, part, uncertain, attempts);
    }
    if (outcome.status !== 'sent') return { kind: 'held', reason: outcome.reason };
    return outcome.responseCode ? { kind: 'sent', responseCode: outcome.responseCode } : { kind: 'sent' };
  }

  /**
   * WeCom's limits, counted across every instance in the state store on WeCom's own clock (real time, not the
   * service's business clock): 30 app messages a minute to one member (each member of a send to many counts
   * one), and calls a minute per API. Over one, the part waits for the next minute.
   */
  private async overLimit(part: Parameters<Messenger['sendPart']>[0]): Promise<PartResult | undefined> {
    const { state, clock } = this.deps;
    const real = Date.now();
    const minute = Math.floor(real / 60_000);
    const later = (reason: string): PartResult => ({ kind: 'retry', at: new Date(clock.now().getTime() + (minute + 1) * 60_000 + 1_000 - real), reason });
    const api = part.kind === 'app' ? 'message/send' : part.kind === 'kf' ? 'kf/send_msg' : 'message/update_template_card';
    if ((await state.increment(`outbox:rate:api:${api}:${minute}`, 120_000)) > API_CALLS_PER_MINUTE) return later('app_rate');
    if (part.kind !== 'app') return undefined;
    let over = false;
    for (const member of appRecipients(part.message.touser)) {
      if ((await state.increment(`outbox:rate:${member.toLowerCase()}:${minute}`, 120_000)) > APP_MESSAGES_PER_MEMBER_MINUTE) over = true;
    }
    return over ? later('member_rate') : undefined;
  }

  private classify(err: unknown, part: Parameters<Messenger['sendPart']>[0], uncertain: boolean, attempts: number): PartResult {
    const now = this.deps.clock.now().getTime();
    if (err instanceof WeComRateLimitError) return { kind: 'retry', at: new Date(now + Math.min(err.retryAfterMs, this.deps.rateLimitWaitMs ?? err.retryAfterMs)), reason: `errcode ${err.errcode}` };
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
