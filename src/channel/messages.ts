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
  | { type: 'card'; card: ButtonCard };

/** A chat turn from a person, normalised across channels. */
export interface ChatInput {
  from: Address;
  /** The text typed, or the label of the menu item tapped. */
  text: string;
  /** Set when a 微信客服 menu item was tapped. */
  menuId?: string;
  at: Date;
}

/** A card button tap from a staff member. */
export interface CardClick {
  from: Extract<Address, { channel: 'app' }>;
  taskId: string;
  eventKey: string;
  responseCode: string;
  at: Date;
}

/** Sends messages to people other than the one talking (staff notices, a household told of a decision); failures are logged, never thrown. */
export type Notify = (to: Address, messages: Outbound[]) => Promise<void>;

/** What the service does with people's turns. Later issues plug the flow engine in here. */
export interface ChatHandler {
  onText(input: ChatInput): Promise<Outbound[]>;
  onUnsupported(from: Address, at: Date): Promise<Outbound[]>;
  onCardClick(click: CardClick): Promise<Outbound[]>;
}

export function addressKey(a: Address): string {
  return a.channel === 'app' ? `app:${a.userId}` : `kf:${a.openKfId}:${a.externalUserId}`;
}
