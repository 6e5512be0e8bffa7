import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import type { Delivery } from '../outbox/outbox-item.js';
import type { AppMessage, CardUpdate, KfOutMessage, WeComApi } from '../wecom/api.js';
import type { KfSessions } from './kf-session.js';
import { addressKey, type Address, type Outbound } from './messages.js';
import { splitText } from './text-limits.js';

type KfAddress = Extract<Address, { channel: 'kf' }>;

/** One WeCom API call of a delivery. A long text or a menu that does not fit becomes several parts. */
export type SendPart =
  | { kind: 'app'; message: AppMessage }
  | { kind: 'kf'; to: KfAddress; message: KfOutMessage }
  | { kind: 'cardUpdate'; update: CardUpdate };

export type HeldReason = 'kf_window_closed' | 'kf_human_servicer';

export type PartOutcome = { status: 'sent'; msgid?: string; responseCode?: string } | { status: 'held'; reason: HeldReason };

/** How long WeCom suppresses an identical app message when the duplicate check is on (its maximum is 4 h). */
const DUPLICATE_CHECK_SECONDS = 4 * 3600;

/**
 * Turns channel-neutral messages into WeCom API calls and makes them, enforcing 微信客服's rules. The outbox
 * worker is its only production caller: every outbound message is recorded before it gets here.
 */
export class Messenger {
  constructor(private readonly deps: { api: WeComApi; kfSessions: KfSessions; logger: Logger }) {}

  /**
   * The API calls a delivery takes, in order. `idBase` (the outbox record id) makes each kf message's msgid
   * deterministic, so WeCom refuses a second copy of a part that was sent before a crash.
   */
  parts(delivery: Delivery, idBase: string): SendPart[] {
    if (delivery.type === 'cardUpdate') return [{ kind: 'cardUpdate', update: delivery.update }];
    const { to, messages } = delivery;
    if (to.channel === 'app') return messages.flatMap((m) => toAppMessages(to.userId, m)).map((message) => ({ kind: 'app', message }));
    const kf = messages.flatMap((m) => toKfMessages(to, m));
    return kf.map((message, i) => ({ kind: 'kf', to, message: { ...message, msgid: kfMsgId(idBase, i) } }));
  }

  /**
   * Makes one call. `uncertain`: an earlier try may have reached WeCom (a worker died mid-send), so an app
   * message goes with WeCom's duplicate check on. Throws the API's errors; the caller decides on retries.
   */
  async sendPart(part: SendPart, options: { uncertain?: boolean } = {}): Promise<PartOutcome> {
    switch (part.kind) {
      case 'app': {
        const message: AppMessage = options.uncertain ? { ...part.message, enable_duplicate_check: 1, duplicate_check_interval: DUPLICATE_CHECK_SECONDS } : part.message;
        const result = await this.deps.api.sendAppMessage(message);
        if (result.invaliduser) this.deps.logger.warn({ to: 'app', msgtype: message.msgtype }, 'recipient refused by WeCom');
        return { status: 'sent', ...(result.msgid ? { msgid: result.msgid } : {}), ...(result.response_code ? { responseCode: result.response_code } : {}) };
      }
      case 'kf':
        return this.sendKf(part.to, part.message);
      case 'cardUpdate':
        await this.deps.api.updateTemplateCard(part.update);
        return { status: 'sent' };
    }
  }

  /** Sends at once, part by part (tests of the conversion and the kf rules; production goes through the outbox). */
  async send(to: Address, messages: Outbound[], idBase = `direct${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`): Promise<PartOutcome[]> {
    const outcomes: PartOutcome[] = [];
    for (const part of this.parts({ type: 'messages', to, messages }, idBase)) outcomes.push(await this.sendPart(part));
    return outcomes;
  }

  private async sendKf(to: KfAddress, message: KfOutMessage): Promise<PartOutcome> {
    const { kfSessions, logger, api } = this.deps;
    if (await kfSessions.isHuman(to.openKfId, to.externalUserId)) return { status: 'held', reason: 'kf_human_servicer' };
    if (!(await kfSessions.tryConsume(to.openKfId, to.externalUserId))) {
      logger.info({ to: addressKey(to), msgtype: message.msgtype }, '微信客服 reply window closed; message held');
      return { status: 'held', reason: 'kf_window_closed' };
    }
    const result = await api.kfSendMsg(message);
    return { status: 'sent', msgid: result.msgid };
  }
}

/** kf `msgid`: ≤ 32 chars of [0-9a-zA-Z_-], unique per account, the same for the same part of the same record. */
export function kfMsgId(idBase: string, part: number): string {
  return `o${createHash('sha256').update(`${idBase}\u0000${part}`).digest('base64url').slice(0, 30)}`;
}

function numbered(text: string, choices: { label: string }[], tail?: string): string {
  return [text, ...choices.map((c, i) => `${i + 1}. ${c.label}`), ...(tail ? [tail] : [])].join('\n');
}

function toAppMessages(userId: string, message: Outbound): AppMessage[] {
  switch (message.type) {
    case 'text':
      return splitText(message.text).map((content) => ({ touser: userId, msgtype: 'text', text: { content } }));
    case 'choices':
      return splitText(numbered(message.text, message.choices, message.tail)).map((content) => ({ touser: userId, msgtype: 'text', text: { content } }));
    case 'card':
      return [{ touser: userId, msgtype: 'template_card', template_card: message.card }];
  }
}

const KF_MENU_MAX_ITEMS = 10;

function toKfMessages(to: KfAddress, message: Outbound): KfOutMessage[] {
  const base = { touser: to.externalUserId, open_kfid: to.openKfId };
  switch (message.type) {
    case 'text':
      return splitText(message.text).map((content) => ({ ...base, msgtype: 'text', text: { content } }));
    case 'choices':
      if (message.choices.length > KF_MENU_MAX_ITEMS) {
        return splitText(numbered(message.text, message.choices, message.tail)).map((content) => ({ ...base, msgtype: 'text', text: { content } }));
      }
      return [
        {
          ...base,
          msgtype: 'msgmenu',
          msgmenu: {
            head_content: message.text,
            // Numbered as on the app ("1. 青山镇"): prompts say 请回复序号, so the numbers must be there to read.
            // A lone item (说完了) needs none. The id is what a tap sends back, so numbering changes nothing there.
            list: message.choices.map((c, i) => ({
              type: 'click' as const,
              click: { id: c.id, content: message.choices.length > 1 ? `${i + 1}. ${c.label}` : c.label },
            })),
            ...(message.tail ? { tail_content: message.tail } : {}),
          },
        },
      ];
    case 'card':
      // Cards exist only on the staff app; households never get one.
      throw new Error('template cards cannot be sent to 微信客服 customers');
  }
}
