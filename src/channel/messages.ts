import type { ButtonCard } from '../wecom/api.js';

/**
 * Who a message is for. Staff are WeCom members on the self-built app; households are WeChat
 * users reached through a 微信客服 account.
 *
 * @example { channel: 'kf', openKfId: 'wkAbc', externalUserId: 'wmXyz' }
 */
export type Address = { channel: 'app'; userId: string } | { channel: 'kf'; openKfId: string; externalUserId: string };

/**
 * One message the bot wants to send, independent of the channel.
 * `choices` becomes a 微信客服 menu on kf and a numbered list on the app.
 *
 * @example { type: 'choices', text: '请选择乡镇：', choices: [{ id: 't1', label: '青山镇' }] }
 */
export type Outbound =
  | { type: 'text'; text: string }
  | { type: 'choices'; text: string; choices: { id: string; label: string }[]; tail?: string }
  /** `about`: the case step a decision card is for, so it can be greyed out for everyone once someone acts. */
  | { type: 'card'; card: ButtonCard; about?: { caseId: string; version: number; action: string } };

/** A chat turn from a person, normalised across channels. */
export interface ChatInput {
  from: Address;
  /**
   * The inbound message's own id (the callback's dedupe key, the kf msgid): a turn already handled under
   * this id is not run again, its stored replies are given back instead.
   */
  id: string;
  /** The text typed, or the label of the menu item tapped. */
  text: string;
  /** Set when a 微信客服 menu item was tapped. */
  menuId?: string;
  at: Date;
}

/** A card button tap from a staff member. */
export interface CardClick {
  from: Extract<Address, { channel: 'app' }>;
  /** The callback's dedupe key (see ChatInput.id). */
  id: string;
  taskId: string;
  eventKey: string;
  responseCode: string;
  at: Date;
}

/**
 * What a turn answers. `replayed`: the turn was handled before under the same id (a retry after a crash, or
 * a duplicate that waited for the first): `replies` are the stored ones, and the caller decides whether they
 * still need delivering.
 */
export interface TurnOutput {
  replies: Outbound[];
  replayed?: boolean;
}

/** What the service does with people's turns. */
export interface ChatHandler {
  onText(input: ChatInput): Promise<TurnOutput>;
  onUnsupported(from: Address, at: Date): Promise<TurnOutput>;
  onCardClick(click: CardClick): Promise<TurnOutput>;
}

export function addressKey(a: Address): string {
  return a.channel === 'app' ? `app:${a.userId}` : `kf:${a.openKfId}:${a.externalUserId}`;
}
