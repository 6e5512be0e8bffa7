import type { Address, Outbound } from '../channel/messages.js';
import type { CardUpdate } from '../wecom/api.js';

/**
 * What one outbox record delivers: messages to one person, in order, or an update of a card already sent.
 * @example { "type": "messages", "to": { "channel": "app", "userId": "wangcadre" }, "messages": [{ "type": "text", "text": "…" }] }
 */
export type Delivery =
  | { type: 'messages'; to: Address; messages: Outbound[] }
  | { type: 'cardUpdate'; update: CardUpdate };

/** Why a message goes out; listed by the admin API and used to decide routing (a household outcome may be rerouted). */
export const DELIVERY_PURPOSES = ['reply', 'notice', 'card', 'cardUpdate', 'householdOutcome', 'reminder', 'digest', 'alert'] as const;
export type DeliveryPurpose = (typeof DELIVERY_PURPOSES)[number];

/**
 * How a household message reaches the household: `kf` directly on 微信客服 (its reply window is open),
 * `monitoringContact` through the case's monitoring contacts (else the village's cadres), who are asked to pass
 * it on, or `none` (neither way is open: it is held and shows in the sender's 我的待办).
 */
export const HOUSEHOLD_ROUTES = ['kf', 'monitoringContact', 'none'] as const;
export type HouseholdRoute = (typeof HOUSEHOLD_ROUTES)[number];

/** WeCom's message/send takes at most this many UserIDs in one `touser` ("a|b|c"). */
export const MAX_TOUSER = 1000;

/**
 * One message to send, recorded before it is sent. The id is deterministic (the same logical message always
 * gets the same id: `reply:kf:<msgid>`, `case:<caseId>:v3:household`…), so recording it twice sends it once.
 * @example { "id": "case:5f0c…:declared:wangcadre", "purpose": "notice", "delivery": { "type": "messages", … } }
 */
export interface OutboxItem {
  id: string;
  purpose: DeliveryPurpose;
  delivery: Delivery;
  /** Not before this instant (quiet hours, reminders). */
  notBefore?: Date;
  /** The case it concerns, for listings. */
  caseId?: string;
  /** For a decision card: the case version and step it was sent for, so it can be updated once someone acts. */
  card?: { version: number; action: string };
  /**
   * A reminder's deadline items (their keys, e.g. `case:5f0c…:assistancePlan:2026-12-02`), checked again just
   * before sending: a reminder is never sent for something done meanwhile.
   */
  items?: string[];
  /** A household message: the way it takes to the household, decided when it is recorded (household-routes.ts). */
  route?: HouseholdRoute;
  /** A household message: the staff member whose decision it reports (it is in their 我的待办 while held). */
  sender?: string;
  /** The lane a record keeps its place in, when not its delivery's recipient (a relayed household message keeps the household's). */
  lane?: string;
}

/** The one sending path: every outbound message is recorded here and sent by a worker. */
export interface Outbox {
  /** Records the items durably and schedules them; an id already recorded is left as it is. Throws when it cannot record. */
  enqueue(items: OutboxItem[]): Promise<void>;
  /** A household wrote on 微信客服 (its window is open again): what was held for it goes out. */
  householdWrote?(openKfId: string, externalUserId: string): Promise<number>;
}

/** The recipient key records are grouped by, so one person's messages go out one after the other, in order. */
export function recipientOf(delivery: Delivery): string {
  if (delivery.type === 'cardUpdate') return `card:${delivery.update.response_code}`;
  const to = delivery.to;
  return to.channel === 'app' ? `app:${to.userId.toLowerCase()}` : `kf:${to.openKfId}:${to.externalUserId}`;
}

/** The staff members an app address names: one UserID, or several joined with "|" (one send to many). */
export function appRecipients(userId: string): string[] {
  return userId.split('|').filter((id) => id !== '');
}

/**
 * A turn's answer as outbox items: the messages in one record, except decision cards, each in a record of its
 * own that knows its case step (so it can be greyed out later); all in their order, under ids made from `id`.
 */
export function replyItems(id: string, to: Address, replies: Outbound[]): OutboxItem[] {
  const items: OutboxItem[] = [];
  let run: Outbound[] = [];
  const flush = () => {
    if (run.length > 0) items.push({ id: items.length === 0 ? id : `${id}:${items.length}`, purpose: 'reply', delivery: { type: 'messages', to, messages: run } });
    run = [];
  };
  for (const message of replies) {
    if (message.type !== 'card' || !message.about) {
      run.push(message);
      continue;
    }
    flush();
    const { caseId, version, action } = message.about;
    items.push({ id: `${id}:${items.length}`, purpose: 'card', caseId, card: { version, action }, delivery: { type: 'messages', to, messages: [message] } });
  }
  flush();
  return items;
}

/**
 * The same messages to several staff members in as few sends as WeCom allows: one record per 1000 members, whose
 * app address joins their UserIDs with "|" (message/send's `touser`). Ids are `id` (and `id:2`, `id:3`… beyond 1000).
 * @example messagesToStaff('relay:c1:v9', 'householdOutcome', ['wangcadre', 'zhoucadre'], [{ type: 'text', text: '…' }])
 *   // → one record to { channel: 'app', userId: 'wangcadre|zhoucadre' }
 */
export function messagesToStaff(id: string, purpose: DeliveryPurpose, userIds: readonly string[], messages: Outbound[], extra: Omit<OutboxItem, 'id' | 'purpose' | 'delivery'> = {}): OutboxItem[] {
  const unique = [...new Map(userIds.map((u) => [u.toLowerCase(), u])).values()];
  const items: OutboxItem[] = [];
  for (let i = 0; i < unique.length && messages.length > 0; i += MAX_TOUSER) {
    const to: Address = { channel: 'app', userId: unique.slice(i, i + MAX_TOUSER).join('|') };
    items.push({ id: i === 0 ? id : `${id}:${i / MAX_TOUSER + 1}`, purpose, delivery: { type: 'messages', to, messages }, ...extra });
  }
  return items;
}

/** Messages for one address with a deterministic id; nothing is recorded for an empty list. */
export function messagesTo(id: string, purpose: DeliveryPurpose, to: Address, messages: Outbound[], extra: Pick<OutboxItem, 'caseId' | 'notBefore' | 'card'> = {}): OutboxItem[] {
  return messages.length === 0 ? [] : [{ id, purpose, delivery: { type: 'messages', to, messages }, ...extra }];
}
