import type { Logger } from 'pino';
import { messagesTo, replyItems, type Outbox } from '../outbox/outbox-item.js';
import { errorSummary, type BackgroundWork } from '../shared/background-work.js';
import type { Clock } from '../shared/clock.js';
import { DEFAULT_LOCALE, type Texts } from '../i18n/i18n.js';
import type { Inbound } from '../wecom/inbound.js';
import type { Deduplicator } from './dedupe.js';
import type { KfPuller } from './kf-puller.js';
import type { Address, ChatHandler, Outbound, TurnOutput } from './messages.js';
import type { SenderRateLimit } from './rate-limit.js';
import { MAX_TEXT_BYTES } from './text-limits.js';

/** What the HTTP layer answers: a passive text reply, or an empty 200 (the rest goes out actively). */
export type CallbackAnswer = { kind: 'passive_text'; toUser: string; text: string } | { kind: 'empty'; duplicate?: boolean };

export interface CallbackServiceDeps {
  dedupe: Deduplicator;
  handler: ChatHandler;
  outbox: Outbox;
  kfPuller: KfPuller;
  background: BackgroundWork;
  rateLimit: SenderRateLimit;
  texts: Texts;
  clock: Clock;
  logger: Logger;
  /** How long to wait for the answer before acknowledging empty and sending it actively. */
  replyBudgetMs: number;
}

/** A replayed turn waits this long for the request that first handled it to finish answering. */
const REPLAY_WAIT_MS = 1_500;

/**
 * Handles one verified, decrypted callback, inside WeCom's 5-second limit. A message is marked done once
 * its answer is on its way (passive reply, or recorded in the outbox). A retry of a message whose turn was
 * handled but whose answer never went out (the process died) gets that answer; a duplicate of one being
 * answered right now gets an empty 200.
 */
export class CallbackService {
  constructor(private readonly deps: CallbackServiceDeps) {}

  async receive(inbound: Inbound): Promise<CallbackAnswer> {
    const { dedupe, background, kfPuller } = this.deps;
    if (await dedupe.seen(inbound.dedupeKey)) return { kind: 'empty', duplicate: true };
    if (inbound.kind === 'kf_event') {
      await dedupe.claim(inbound.dedupeKey);
      background.run('kf-pull', () => kfPuller.pull(inbound.openKfId, inbound.syncToken));
      return { kind: 'empty' };
    }
    const to: Address = { channel: 'app', userId: inbound.from };
    if (inbound.kind !== 'event' && (await this.overLimit(inbound.from, to))) {
      await dedupe.claim(inbound.dedupeKey);
      return { kind: 'empty' };
    }
    const turn = this.turn(inbound);
    let outcome: { done: true; messages: TurnOutput } | { done: false };
    try {
      outcome = await withinBudget(turn, this.deps.replyBudgetMs);
    } catch (err) {
      await this.failed(inbound.dedupeKey, to, err);
      return { kind: 'empty' };
    }
    if (!outcome.done) {
      background.run('late-turn', () => this.finishLate(inbound.dedupeKey, to, turn));
      return { kind: 'empty' };
    }
    const { replies, replayed } = outcome.messages;
    if (replayed && (await this.answeredMeanwhile(inbound.dedupeKey))) return { kind: 'empty', duplicate: true };
    const [only] = replies;
    // Card clicks take only update_button/update_template_card passively (wecom-channel.md §3.4): text goes actively.
    const passiveAllowed = !replayed && (inbound.kind === 'text' || inbound.kind === 'media');
    if (passiveAllowed && replies.length === 1 && only?.type === 'text' && Buffer.byteLength(only.text) <= MAX_TEXT_BYTES) {
      await dedupe.claim(inbound.dedupeKey);
      return { kind: 'passive_text', toUser: inbound.from, text: only.text };
    }
    await this.send(inbound.dedupeKey, to, replies);
    return { kind: 'empty' };
  }

  private turn(inbound: Exclude<Inbound, { kind: 'kf_event' }>): Promise<TurnOutput> {
    const { handler, clock } = this.deps;
    const at = clock.now();
    const from = { channel: 'app' as const, userId: inbound.from };
    switch (inbound.kind) {
      case 'text':
        return handler.onText({ from, id: inbound.dedupeKey, text: inbound.content, at });
      case 'media':
        return handler.onUnsupported(from, at);
      case 'card_click':
        return handler.onCardClick({ from, id: inbound.dedupeKey, taskId: inbound.taskId, eventKey: inbound.eventKey, responseCode: inbound.responseCode, at });
      case 'event':
        // enter_agent, subscribe, menu clicks…: nothing to say until a flow wants them.
        return Promise.resolve({ replies: [] });
    }
  }

  /** Records the answer in the outbox (one id per inbound message, so a retry never sends it twice), then marks the message done. */
  private async send(key: string, to: Address, replies: Outbound[]): Promise<void> {
    await this.deps.outbox.enqueue(replyItems(`reply:${key}`, to, replies));
    await this.deps.dedupe.claim(key);
  }

  /** The answer missed the passive window: it goes out actively. */
  private async finishLate(key: string, to: Address, turn: Promise<TurnOutput>): Promise<void> {
    let output: TurnOutput;
    try {
      output = await turn;
    } catch (err) {
      await this.failed(key, to, err);
      return;
    }
    if (output.replayed && (await this.answeredMeanwhile(key))) return;
    await this.send(key, to, output.replies);
  }

  /**
   * The turn failed (a store down, a bug): the person is told their message was not handled and to send it
   * again, so nothing is silently lost. When even that cannot be recorded, the error goes up: WeCom gets a
   * 5xx and retries the callback.
   */
  private async failed(key: string, to: Address, err: unknown): Promise<void> {
    this.deps.logger.error({ err: errorSummary(err) }, 'turn failed; the sender is asked to send again');
    await this.deps.outbox.enqueue(messagesTo(`busy:${key}`, 'reply', to, [{ type: 'text', text: this.deps.texts.t(DEFAULT_LOCALE, 'common:busy') }]));
    await this.deps.dedupe.claim(key);
  }

  /** A replayed turn: did the request that handled it first finish answering? Waits a little for it. */
  private async answeredMeanwhile(key: string): Promise<boolean> {
    const deadline = Date.now() + REPLAY_WAIT_MS;
    while (Date.now() < deadline) {
      if (await this.deps.dedupe.seen(key)) return true;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return this.deps.dedupe.seen(key);
  }

  /** True when the sender is over the per-minute limit; the first time, they are told to slow down. */
  private async overLimit(userId: string, to: Address): Promise<boolean> {
    const sender = `app:${userId.toLowerCase()}`;
    const verdict = await this.deps.rateLimit.hit(sender);
    if (verdict === 'ok') return false;
    if (verdict === 'firstOver') {
      this.deps.logger.warn({ channel: 'app' }, 'sender over the message rate limit; told to slow down');
      await this.deps.outbox.enqueue(messagesTo(this.deps.rateLimit.noticeId(sender), 'reply', to, [{ type: 'text', text: this.deps.texts.t(DEFAULT_LOCALE, 'common:slowDown') }]));
    }
    return true;
  }
}

async function withinBudget<T>(work: Promise<T>, budgetMs: number): Promise<{ done: true; messages: T } | { done: false }> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<{ done: false }>((resolve) => {
    timer = setTimeout(() => resolve({ done: false }), budgetMs);
  });
  try {
    return await Promise.race([work.then((messages) => ({ done: true as const, messages })), late]);
  } finally {
    clearTimeout(timer);
  }
}
