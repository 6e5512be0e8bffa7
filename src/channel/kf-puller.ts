import type { Logger } from 'pino';
import { DEFAULT_LOCALE, type Texts } from '../i18n/i18n.js';
import { messagesTo, type Outbox } from '../outbox/outbox-item.js';
import { errorSummary } from '../shared/background-work.js';
import type { Clock } from '../shared/clock.js';
import { tryLease } from '../shared/lease.js';
import type { DocumentStore } from '../stores/document-store.js';
import type { StateStore } from '../stores/state-store.js';
import type { KfMessage, WeComApi } from '../wecom/api.js';
import { KF_DEDUPE_TTL_MS, type Deduplicator } from './dedupe.js';
import type { KfSessions } from './kf-session.js';
import type { Address, ChatHandler } from './messages.js';
import type { SenderRateLimit } from './rate-limit.js';

/** On a cold start (no stored cursor) messages older than this before start are history, not questions. */
export const KF_COLD_START_CUTOFF_MS = 10 * 60_000;
/** The pull lock is a lease renewed while pulling: a puller that dies frees its account within this time. */
const PULL_LEASE_TTL_MS = 6_000;
/** A message whose handling fails this many times (across pulls and restarts) is set aside. */
export const KF_MAX_FAILURES = 3;
/** Failures are counted this long. */
const FAILURE_COUNT_TTL_MS = 24 * 3600_000;
/** Waits between the tries within one pull. */
const RETRY_DELAYS_MS = [100, 400];
/** Senders of one batch handled at once (each sender's messages one after the other, in order). */
const SENDERS_AT_ONCE = 8;

interface CursorDoc {
  _id: string;
  cursor: string;
  updatedAt: string;
}

/** A message that kept failing: recorded (never its content) so staff can look into it. */
interface SetAsideDoc {
  _id: string;
  openKfId: string;
  externalUserId: string;
  sendTime: number;
  failures: number;
  error: string;
  at: string;
}

const ORIGIN_CUSTOMER = 3;
const ORIGIN_EVENT = 4;
const ORIGIN_SERVICER = 5;
/** session_status_change: 1 picked from the pool, 2 transferred, 3 ended, 4 re-opened by a servicer. */
const SESSION_ENDED = 3;

export interface KfPullerDeps {
  api: WeComApi;
  docs: DocumentStore;
  state: StateStore;
  dedupe: Deduplicator;
  sessions: KfSessions;
  handler: ChatHandler;
  outbox: Outbox;
  rateLimit: SenderRateLimit;
  texts: Texts;
  /** Staff told when a message had to be set aside (the county's admins). */
  alertRecipients: () => string[];
  logger: Logger;
  clock: Clock;
  /** When this process started: the cold-start cut-off is measured from here. */
  startedAt: Date;
}

/**
 * 微信客服 delivery: a callback only says "there is news"; we pull with kf/sync_msg from a durable cursor,
 * one puller per kf account across all instances. Each message is handled once (a done-mark, and the
 * conversation's own record of handled turns); its answer goes to the outbox. Senders of a batch are
 * handled side by side, so one person's flood or trouble never delays another. A message that keeps
 * failing is set aside after a few tries (the household told, staff alerted) and the cursor moves on.
 */
export class KfPuller {
  constructor(private readonly deps: KfPullerDeps) {}

  /**
   * Pulls everything new for one kf account. If another pull for that account is running (here or
   * in another instance), it is asked to go round once more instead, so nothing is missed.
   */
  async pull(openKfId: string, syncToken?: string): Promise<void> {
    const { state } = this.deps;
    const lockKey = `kf:pull-lock:${openKfId}`;
    const againKey = `kf:pull-again:${openKfId}`;
    let token = syncToken;
    for (;;) {
      let lease = await tryLease(state, lockKey, PULL_LEASE_TTL_MS);
      if (!lease) {
        await state.set(againKey, token ?? '', 60_000);
        // The holder may have looked for the flag and released the lock in between: try once more.
        lease = await tryLease(state, lockKey, PULL_LEASE_TTL_MS);
        if (!lease) return;
      }
      try {
        for (;;) {
          await this.drain(openKfId, token);
          const again = await state.get(againKey);
          if (again === null) break;
          await state.delete(againKey);
          token = again || token;
        }
      } finally {
        await lease.release();
      }
      // A flag set after our last look but before the release would otherwise wait for the next callback.
      const again = await state.get(againKey);
      if (again === null) return;
      token = again || token;
    }
  }

  private async drain(openKfId: string, token: string | undefined): Promise<void> {
    const cursors = this.deps.docs.collection<CursorDoc>('kfCursors');
    const stored = await cursors.get(openKfId);
    const coldStart = stored === null;
    let cursor = stored?.cursor;
    for (;;) {
      const batch = await this.deps.api.kfSyncMsg({ openKfId, ...(cursor ? { cursor } : {}), ...(token ? { token } : {}) });
      const fresh = batch.msg_list.filter((m) => !(coldStart && m.send_time * 1000 < this.deps.startedAt.getTime() - KF_COLD_START_CUTOFF_MS));
      await this.handleBatch(fresh);
      // Saved only after the batch is handled: a crash replays it, and the done-marks skip what was done.
      if (batch.next_cursor) {
        cursor = batch.next_cursor;
        await cursors.put({ _id: openKfId, cursor, updatedAt: this.deps.clock.now().toISOString() });
      }
      if (batch.has_more !== 1) return;
    }
  }

  /** Each sender's messages in order; senders side by side, a few at a time. */
  private async handleBatch(messages: KfMessage[]): Promise<void> {
    const bySender = new Map<string, KfMessage[]>();
    for (const m of messages) {
      const sender = m.external_userid ?? m.event?.external_userid ?? '';
      bySender.set(sender, [...(bySender.get(sender) ?? []), m]);
    }
    const queues = [...bySender.values()];
    const lanes = Array.from({ length: Math.min(SENDERS_AT_ONCE, queues.length) }, async () => {
      for (let queue = queues.shift(); queue; queue = queues.shift()) {
        for (const message of queue) await this.handleOnce(message);
      }
    });
    const results = await Promise.allSettled(lanes);
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  }

  /**
   * Handles a message unless it is done, trying again a couple of times; after KF_MAX_FAILURES in all
   * (counted across pulls and restarts) it is set aside. Throws only when even that cannot be recorded
   * (the stores are down): then the cursor stays and the next pull tries again.
   */
  private async handleOnce(message: KfMessage): Promise<void> {
    const { dedupe, state, logger } = this.deps;
    const doneKey = `kfmsg:${message.msgid}`;
    if (await dedupe.seen(doneKey)) return;
    for (let attempt = 0; ; attempt++) {
      try {
        await this.handle(message);
        await dedupe.claim(doneKey, KF_DEDUPE_TTL_MS);
        return;
      } catch (err) {
        // A store that does not answer is an outage, not this message's fault: nothing is counted, the
        // cursor stays, and the next pull tries again once the stores are back.
        await Promise.all([state.ping(), this.deps.docs.ping()]).catch(() => {
          throw err;
        });
        const failures = await state.increment(`kf:failures:${message.msgid}`, FAILURE_COUNT_TTL_MS);
        logger.error({ err: errorSummary(err), msgid: message.msgid, failures }, '微信客服 message not handled');
        if (failures >= KF_MAX_FAILURES) {
          await this.setAside(message, failures, err);
          await dedupe.claim(doneKey, KF_DEDUPE_TTL_MS);
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, RETRY_DELAYS_MS[attempt] ?? RETRY_DELAYS_MS.at(-1)));
      }
    }
  }

  private async handle(message: KfMessage): Promise<void> {
    const { sessions, logger } = this.deps;
    const openKfId = message.open_kfid;
    if (message.origin === ORIGIN_SERVICER && message.external_userid) {
      await sessions.setHuman(openKfId, message.external_userid, message.servicer_userid ?? '');
      return;
    }
    if (message.origin === ORIGIN_EVENT && message.event) {
      await this.onEvent(openKfId, message.event);
      return;
    }
    if (message.origin !== ORIGIN_CUSTOMER || !message.external_userid) return;
    const from: Address = { channel: 'kf', openKfId, externalUserId: message.external_userid };
    const at = new Date(message.send_time * 1000);
    await sessions.customerWrote(openKfId, message.external_userid, at);
    if (!(await this.botMayAnswer(openKfId, message.external_userid))) {
      logger.info({ msgid: message.msgid }, '微信客服 session held by a human servicer; bot stays quiet');
      return;
    }
    // Its window is open again: a result held for it (no way to it was open) goes out before the answer.
    await this.deps.outbox.householdWrote?.(openKfId, message.external_userid);
    if (await this.overLimit(from)) return;
    const { handler } = this.deps;
    const id = `kf:${message.msgid}`;
    const { replies } =
      message.msgtype === 'text' && message.text
        ? await handler.onText({ from, id, text: message.text.content, ...(message.text.menu_id ? { menuId: message.text.menu_id } : {}), at })
        : await handler.onUnsupported(from, at);
    // Replayed or not, the answer is recorded under the message's own id: recording it twice sends it once.
    await this.deps.outbox.enqueue(messagesTo(`reply:${id}`, 'reply', from, replies));
  }

  /** A sender over the per-minute limit: told once to slow down, the message not handled. */
  private async overLimit(from: Extract<Address, { channel: 'kf' }>): Promise<boolean> {
    const { rateLimit, outbox, texts, logger } = this.deps;
    const sender = `kf:${from.openKfId}:${from.externalUserId}`;
    const verdict = await rateLimit.hit(sender);
    if (verdict === 'ok') return false;
    if (verdict === 'firstOver') {
      logger.warn({ channel: 'kf' }, 'sender over the message rate limit; told to slow down');
      await outbox.enqueue(messagesTo(rateLimit.noticeId(sender), 'reply', from, [{ type: 'text', text: texts.t(DEFAULT_LOCALE, 'common:slowDown') }]));
    }
    return true;
  }

  /** Records the message as set aside, tells the household kindly and alerts staff; never its content. */
  private async setAside(message: KfMessage, failures: number, err: unknown): Promise<void> {
    const { docs, outbox, texts, clock, logger } = this.deps;
    const at = clock.now().toISOString();
    const user = message.external_userid ?? '';
    await docs.collection<SetAsideDoc>('kfSetAside').put({
      _id: message.msgid,
      openKfId: message.open_kfid,
      externalUserId: user,
      sendTime: message.send_time,
      failures,
      error: errorSummary(err).type,
      at,
    });
    logger.error({ msgid: message.msgid, failures }, '微信客服 message set aside after repeated failures; the cursor moves on');
    if (message.origin === ORIGIN_CUSTOMER && user) {
      const household: Address = { channel: 'kf', openKfId: message.open_kfid, externalUserId: user };
      await outbox.enqueue(messagesTo(`setaside:${message.msgid}`, 'reply', household, [{ type: 'text', text: texts.t(DEFAULT_LOCALE, 'common:setAside') }]));
    }
    for (const userId of this.deps.alertRecipients()) {
      const text = texts.t(DEFAULT_LOCALE, 'common:setAsideAlert', { msgid: message.msgid, at });
      await outbox.enqueue(messagesTo(`setaside:${message.msgid}:${userId}`, 'alert', { channel: 'app', userId }, [{ type: 'text', text }]));
    }
  }

  /** Takes an untreated session for the bot (state 0 → 1); false while a person holds or queues it. */
  private async botMayAnswer(openKfId: string, externalUserId: string): Promise<boolean> {
    const { sessions, api } = this.deps;
    if (await sessions.isHuman(openKfId, externalUserId)) return false;
    if (await sessions.isBot(openKfId, externalUserId)) return true;
    const { serviceState, servicerUserId } = await api.kfGetServiceState({ openKfId, externalUserId });
    if (serviceState === 0) await api.kfTransServiceState({ openKfId, externalUserId, serviceState: 1 });
    if (serviceState === 0 || serviceState === 1) {
      await sessions.setBot(openKfId, externalUserId);
      return true;
    }
    if (serviceState === 3) await sessions.setHuman(openKfId, externalUserId, servicerUserId ?? '');
    return false;
  }

  private async onEvent(openKfId: string, event: NonNullable<KfMessage['event']>): Promise<void> {
    const user = event.external_userid;
    if (event.event_type === 'session_status_change' && user) {
      if (event.change_type === SESSION_ENDED) await this.deps.sessions.ended(openKfId, user);
      else if (event.new_servicer_userid) await this.deps.sessions.setHuman(openKfId, user, event.new_servicer_userid);
    } else if (event.event_type === 'msg_send_fail') {
      this.deps.logger.warn({ failMsgid: event.fail_msgid, failType: event.fail_type }, '微信客服 reported a failed send');
    }
  }
}
