import type { KfSessions } from '../channel/kf-session.js';
import type { Outbound } from '../channel/messages.js';
import { recipientOf, type Delivery, type HouseholdRoute, type OutboxItem } from './outbox-item.js';

/**
 * What a household message's relay needs to know about its case: whom to ask (the monitoring contacts, else
 * the village's cadres), how the household is named to them (as they already see it), and whose decision it reports.
 * @example { "contacts": ["wangcadre", "zhoucadre"], "sender": "lisecretary", "caseNumber": "20261122-0001", "head": "张德福", "place": "青山镇桃源村一组" }
 */
export interface HouseholdCase {
  contacts: string[];
  sender?: string;
  caseNumber: string;
  head: string;
  place: string;
}

/** Renders the request to pass a household's messages on (masked), for its contacts. */
export type RelayText = (household: HouseholdCase, messages: Outbound[]) => Outbound[];

/**
 * The way a household message takes (wecom-channel.md §8.5, pitfall 15): 微信客服 only while the household's
 * reply window is open (48 h after its last message, 5 messages) and no human servicer holds the session;
 * otherwise the case's monitoring contacts are asked, in one send, to pass it on. Decided when the message is
 * recorded (so the staff member's confirmation can say which way it went) and again by the worker when the
 * window closed in between. With no contact either, the message is held and shows in the sender's 我的待办.
 */
export class HouseholdRoutes {
  constructor(private readonly deps: { sessions: KfSessions; caseOf: (caseId: string) => Promise<HouseholdCase | undefined>; relayText: RelayText }) {}

  /** The item as it is to be recorded: stamped with its route (and sender), or already turned into the relay. */
  async decide(item: OutboxItem): Promise<OutboxItem> {
    const { delivery } = item;
    if (item.purpose !== 'householdOutcome' || delivery.type !== 'messages' || delivery.to.channel !== 'kf') return item;
    const household = item.caseId ? await this.deps.caseOf(item.caseId) : undefined;
    const sender = household?.sender ? { sender: household.sender } : {};
    if (await this.deps.sessions.reachable(delivery.to.openKfId, delivery.to.externalUserId, delivery.messages.length)) return { ...item, ...sender, route: 'kf' };
    const relay = household ? this.relayDelivery(household, delivery.messages) : undefined;
    // The relay keeps the household's lane, so its messages stay in order whichever way each one went.
    return relay ? { ...item, ...sender, route: 'monitoringContact', lane: recipientOf(delivery), delivery: relay } : { ...item, ...sender, route: 'none' };
  }

  /** The relay of a household message that could not go on 微信客服 after all; undefined when there is no one to ask. */
  async relay(caseId: string | undefined, delivery: Delivery): Promise<{ delivery: Delivery; route: HouseholdRoute } | undefined> {
    if (!caseId || delivery.type !== 'messages' || delivery.to.channel !== 'kf') return undefined;
    const household = await this.deps.caseOf(caseId);
    const relay = household && this.relayDelivery(household, delivery.messages);
    return relay ? { delivery: relay, route: 'monitoringContact' } : undefined;
  }

  private relayDelivery(household: HouseholdCase, messages: Outbound[]): Delivery | undefined {
    if (household.contacts.length === 0) return undefined;
    // One send to every contact (message/send takes "a|b|c"); a case has at most a handful of them.
    return { type: 'messages', to: { channel: 'app', userId: household.contacts.join('|') }, messages: this.deps.relayText(household, messages) };
  }
}
