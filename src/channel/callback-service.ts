import type { Logger } from 'pino';
import { errorSummary, type BackgroundWork } from '../shared/background-work.js';
import type { Clock } from '../shared/clock.js';
import { DEFAULT_LOCALE, type Texts } from '../i18n/i18n.js';
import type { Inbound } from '../wecom/inbound.js';
import type { Deduplicator } from './dedupe.js';
import type { KfPuller } from './kf-puller.js';
import type { Address, ChatHandler, Outbound } from './messages.js';
import type { Messenger } from './messenger.js';
import { MAX_TEXT_BYTES } from './text-limits.js';

/** What the HTTP layer answers: a passive text reply, or an empty 200 (the rest goes out actively). */
export type CallbackAnswer = { kind: 'passive_text'; toUser: string; text: string } | { kind: 'empty'; duplicate?: boolean };

export interface CallbackServiceDeps {
  dedupe: Deduplicator;
  handler: ChatHandler;
  messenger: Messenger;
  kfPuller: KfPuller;
  background: BackgroundWork;
  texts: Texts;
  clock: Clock;
  logger: Logger;
  /** How long to wait for the answer before acknowledging empty and sending it actively. */
  replyBudgetMs: number;
}

/**
 * Handles one verified, decrypted callback: at most once per WeCom id, inside WeCom's 5-second
 * limit. The answer is passive when it is a single text ready within the budget, active otherwise.
 */
export class CallbackService {
  constructor(private readonly deps: CallbackServiceDeps) {}

  async receive(inbound: Inbound): Promise<CallbackAnswer> {
    const { dedupe, background, kfPuller } = this.deps;
    if (!(await dedupe.claim(inbound.dedupeKey))) return { kind: 'empty', duplicate: true };
    if (inbound.kind === 'kf_event') {
      background.run('kf-pull', () => kfPuller.pull(inbound.openKfId, inbound.syncToken));
      return { kind: 'empty' };
    }
    const to: Address = { channel: 'app', userId: inbound.from };
    const turn = this.turn(inbound);
    let outcome: { done: true; messages: Outbound[] } | { done: false };
    try {
      outcome = await withinBudget(turn, this.deps.replyBudgetMs);
    } catch (err) {
      // Nothing was answered: give the id back so WeCom's retry is handled.
      await dedupe.release(inbound.dedupeKey);
      throw err;
    }
    if (outcome.done) {
      const [only] = outcome.messages;
      // Card clicks take only update_button/update_template_card passively (wecom-channel.md §3.4): text goes actively.
      const passiveAllowed = inbound.kind === 'text' || inbound.kind === 'media';
      if (passiveAllowed && outcome.messages.length === 1 && only?.type === 'text' && Buffer.byteLength(only.text) <= MAX_TEXT_BYTES) {
        return { kind: 'passive_text', toUser: inbound.from, text: only.text };
      }
      if (outcome.messages.length > 0) background.run('active-send', () => this.deps.messenger.send(to, outcome.messages).then(() => undefined));
      return { kind: 'empty' };
    }
    background.run('late-turn', () => this.finishLate(to, turn));
    return { kind: 'empty' };
  }

  private turn(inbound: Exclude<Inbound, { kind: 'kf_event' }>): Promise<Outbound[]> {
    const { handler, clock } = this.deps;
    const at = clock.now();
    switch (inbound.kind) {
      case 'text':
        return handler.onText({ from: { channel: 'app', userId: inbound.from }, text: inbound.content, at });
      case 'media':
        return handler.onUnsupported({ channel: 'app', userId: inbound.from }, at);
      case 'card_click':
        return handler.onCardClick({
          from: { channel: 'app', userId: inbound.from },
          taskId: inbound.taskId,
          eventKey: inbound.eventKey,
          responseCode: inbound.responseCode,
          at,
        });
      case 'event':
        // enter_agent, subscribe, menu clicks…: nothing to say until a flow wants them.
        return Promise.resolve([]);
    }
  }

  /** The answer missed the passive window: send it actively; if the turn failed, say so. */
  private async finishLate(to: Address, turn: Promise<Outbound[]>): Promise<void> {
    let messages: Outbound[];
    try {
      messages = await turn;
    } catch (err) {
      this.deps.logger.error({ err: errorSummary(err) }, 'turn failed after the callback was acknowledged');
      messages = [{ type: 'text', text: this.deps.texts.t(DEFAULT_LOCALE, 'common:busy') }];
    }
    if (messages.length > 0) await this.deps.messenger.send(to, messages);
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
