import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { Clock } from '../shared/clock.js';
import type { DocumentStore } from '../stores/document-store.js';
import type { StateStore } from '../stores/state-store.js';
import type { KfMessage, WeComApi } from '../wecom/api.js';
import { KF_DEDUPE_TTL_MS, type Deduplicator } from './dedupe.js';
import type { KfSessions } from './kf-session.js';
import type { Address, ChatHandler } from './messages.js';
import type { Messenger } from './messenger.js';

/** On a cold start (no stored cursor) messages older than this before start are history, not questions. */
export const KF_COLD_START_CUTOFF_MS = 10 * 60_000;
const PULL_LOCK_TTL_MS = 60_000;

interface CursorDoc {
  _id: string;
  cursor: string;
  updatedAt: string;
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
  messenger: Messenger;
  logger: Logger;
  clock: Clock;
  /** When this process started: the cold-start cut-off is measured from here. */
  startedAt: Date;
}

/**
 * 微信客服 delivery: a callback only says "there is news"; we pull with kf/sync_msg from a durable
 * cursor, one puller per kf account across all instances, and answer through the Messenger.
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
    const owner = randomUUID();
    let token = syncToken;
    for (;;) {
      if (!(await state.setIfAbsent(lockKey, owner, PULL_LOCK_TTL_MS))) {
        await state.set(againKey, token ?? '', PULL_LOCK_TTL_MS);
        // The holder may have looked for the flag and released the lock in between: try once more.
        if (!(await state.setIfAbsent(lockKey, owner, PULL_LOCK_TTL_MS))) return;
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
        await state.deleteIfEquals(lockKey, owner);
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
      for (const message of batch.msg_list) {
        const stale = coldStart && message.send_time * 1000 < this.deps.startedAt.getTime() - KF_COLD_START_CUTOFF_MS;
        if (stale || !(await this.deps.dedupe.claim(`kfmsg:${message.msgid}`, KF_DEDUPE_TTL_MS))) continue;
        try {
          await this.handle(message);
        } catch (err) {
          // Not answered: give the msgid back and keep the old cursor, so the next pull tries it again.
          await this.deps.dedupe.release(`kfmsg:${message.msgid}`);
          throw err;
        }
      }
      // Saved only after the batch is handled: a crash replays it, and the msgid claims skip what was done.
      if (batch.next_cursor) {
        cursor = batch.next_cursor;
        await cursors.put({ _id: openKfId, cursor, updatedAt: this.deps.clock.now().toISOString() });
      }
      if (batch.has_more !== 1) return;
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
    const { handler } = this.deps;
    const replies =
      message.msgtype === 'text' && message.text
        ? await handler.onText({ from, text: message.text.content, ...(message.text.menu_id ? { menuId: message.text.menu_id } : {}), at })
        : await handler.onUnsupported(from, at);
    await this.deps.messenger.send(from, replies);
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
