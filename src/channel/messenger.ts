import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { AppMessage, KfOutMessage, WeComApi } from '../wecom/api.js';
import type { KfSessions } from './kf-session.js';
import { addressKey, type Address, type Outbound } from './messages.js';
import { splitText } from './text-limits.js';

export type SendOutcome = { status: 'sent'; msgid?: string; responseCode?: string } | { status: 'held'; reason: 'kf_window_closed' | 'kf_human_servicer' };

/**
 * The one path every outbound message takes (the durable outbox of the roadmap wraps this).
 * Turns channel-neutral messages into WeCom API calls and enforces 微信客服's rules.
 */
export class Messenger {
  constructor(
    private readonly deps: { api: WeComApi; kfSessions: KfSessions; logger: Logger },
  ) {}

  async send(to: Address, messages: Outbound[]): Promise<SendOutcome[]> {
    const outcomes: SendOutcome[] = [];
    // In order, one at a time: a household reads them as a conversation.
    for (const message of messages) {
      if (to.channel === 'app') {
        for (const part of toAppMessages(to.userId, message)) outcomes.push(await this.sendApp(part));
      } else {
        for (const part of toKfMessages(to, message)) outcomes.push(await this.sendKf(to, part));
      }
    }
    return outcomes;
  }

  private async sendApp(message: AppMessage): Promise<SendOutcome> {
    const result = await this.deps.api.sendAppMessage(message);
    if (result.invaliduser) this.deps.logger.warn({ to: 'app', msgtype: message.msgtype }, 'recipient refused by WeCom');
    return { status: 'sent', msgid: result.msgid, responseCode: result.response_code };
  }

  private async sendKf(to: Extract<Address, { channel: 'kf' }>, message: KfOutMessage): Promise<SendOutcome> {
    const { kfSessions, logger, api } = this.deps;
    if (await kfSessions.isHuman(to.openKfId, to.externalUserId)) {
      return { status: 'held', reason: 'kf_human_servicer' };
    }
    if (!(await kfSessions.tryConsume(to.openKfId, to.externalUserId))) {
      logger.info({ to: addressKey(to), msgtype: message.msgtype }, '微信客服 reply window closed; message held');
      return { status: 'held', reason: 'kf_window_closed' };
    }
    const result = await api.kfSendMsg(message);
    return { status: 'sent', msgid: result.msgid };
  }
}

/** kf `msgid` we choose: unique per account, ≤ 32 chars of [0-9a-zA-Z_-]; a retried send reuses it. */
function kfMsgId(): string {
  return `b${Date.now().toString(36)}${randomBytes(8).toString('hex')}`;
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

function toKfMessages(to: Extract<Address, { channel: 'kf' }>, message: Outbound): KfOutMessage[] {
  const base = { touser: to.externalUserId, open_kfid: to.openKfId };
  switch (message.type) {
    case 'text':
      return splitText(message.text).map((content) => ({ ...base, msgid: kfMsgId(), msgtype: 'text', text: { content } }));
    case 'choices':
      if (message.choices.length > KF_MENU_MAX_ITEMS) {
        return splitText(numbered(message.text, message.choices, message.tail)).map((content) => ({ ...base, msgid: kfMsgId(), msgtype: 'text', text: { content } }));
      }
      return [
        {
          ...base,
          msgid: kfMsgId(),
          msgtype: 'msgmenu',
          msgmenu: {
            head_content: message.text,
            list: message.choices.map((c) => ({ type: 'click' as const, click: { id: c.id, content: c.label } })),
            ...(message.tail ? { tail_content: message.tail } : {}),
          },
        },
      ];
    case 'card':
      // Cards exist only on the staff app; households never get one.
      throw new Error('template cards cannot be sent to 微信客服 customers');
  }
}
