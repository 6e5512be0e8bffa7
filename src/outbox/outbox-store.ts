import type { Vault } from '../privacy/vault.js';
import { DuplicateKeyError, type Collection, type Doc, type DocumentStore, type Filter } from '../stores/document-store.js';
import { appRecipients, recipientOf, type Delivery, type DeliveryPurpose, type HouseholdRoute, type OutboxItem } from './outbox-item.js';

/** `cancelled`: a reminder whose items were all done (or a message otherwise no longer wanted) before it went out. */
export const OUTBOX_STATUSES = ['pending', 'sending', 'sent', 'failed', 'held', 'cancelled'] as const;
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number];

/**
 * An outbox record as stored. The payload may hold a household's own words, so it is sealed; what is in
 * the clear (purpose, recipient key, status, error code) is enough to list and operate the outbox.
 * @example { "_id": "reply:kf:msg123", "purpose": "reply", "recipient": "kf:wk1:wm1", "status": "sent", "attempts": 1,
 *   "progress": 2, "createdAt": "2026-11-22T08:00:00.000Z", "notBefore": "2026-11-22T08:00:00.000Z", "sentAt": "…" }
 */
export interface OutboxRecord extends Doc {
  purpose: DeliveryPurpose;
  recipient: string;
  caseId?: string;
  payloadSealed: string;
  status: OutboxStatus;
  /** Send attempts started so far. */
  attempts: number;
  /** Parts (WeCom API calls) of the delivery already accepted by WeCom. */
  progress: number;
  createdAt: string;
  updatedAt: string;
  notBefore: string;
  /** While `sending`: when the worker claimed it (a claim older than the claim TTL belongs to a dead worker). */
  claimedAt?: string;
  sentAt?: string;
  /** The next try, while pending after a failure. */
  retryAt?: string;
  /** Why it failed or is held: a code, never message content. */
  reason?: string;
  /** An earlier try may have reached WeCom (a timeout, a reset, a worker that died mid-send): the next try guards against a second copy. */
  uncertain?: boolean;
  /** A decision card: which case version and step it was sent for. */
  card?: { version: number; action: string };
  /** Single-use codes WeCom gave for cards sent (one per card part), to update them for every recipient later. */
  responseCodes?: string[];
  /** How a household message reaches the household (directly, through its monitoring contacts, or not at all yet). */
  route?: HouseholdRoute;
  /** A household message: who took the decision it reports. */
  sender?: string;
  /** A reminder's deadline item keys (see OutboxItem.items). */
  items?: string[];
}

/** The outbox collection: records sealed with the Vault, claimed with version checks so one send happens at a time. */
export class OutboxStore {
  readonly records: Collection<OutboxRecord>;

  constructor(
    docs: DocumentStore,
    private readonly vault: Vault,
  ) {
    this.records = docs.collection<OutboxRecord>('outbox');
  }

  async init(): Promise<void> {
    await this.records.ensureIndex(['recipient', 'status']);
    await this.records.ensureIndex(['status', 'notBefore']);
    await this.records.ensureIndex(['caseId', 'purpose']);
    await this.records.ensureIndex(['sender', 'status']);
  }

  /** Inserts the record unless one with this id exists; true when this call recorded it. */
  async record(item: OutboxItem, now: Date): Promise<boolean> {
    const at = now.toISOString();
    try {
      await this.records.insert({
        _id: item.id,
        purpose: item.purpose,
        recipient: item.lane ?? recipientOf(item.delivery),
        ...(item.caseId ? { caseId: item.caseId } : {}),
        ...(item.card ? { card: item.card } : {}),
        ...(item.items ? { items: item.items } : {}),
        ...(item.route ? { route: item.route } : {}),
        ...(item.sender ? { sender: item.sender.toLowerCase() } : {}),
        payloadSealed: this.vault.seal(JSON.stringify(item.delivery)),
        status: 'pending',
        attempts: 0,
        progress: 0,
        createdAt: at,
        updatedAt: at,
        notBefore: (item.notBefore ?? now).toISOString(),
      });
      return true;
    } catch (err) {
      if (err instanceof DuplicateKeyError) return false;
      throw err;
    }
  }

  get(id: string): Promise<OutboxRecord | null> {
    return this.records.get(id);
  }

  delivery(record: OutboxRecord): Delivery {
    return JSON.parse(this.vault.open(record.payloadSealed)) as Delivery;
  }

  /** The record carrying `delivery` instead (a household message rerouted, a reminder rewritten), sealed; not stored yet. */
  withDelivery(record: OutboxRecord, delivery: Delivery): OutboxRecord {
    return { ...record, payloadSealed: this.vault.seal(JSON.stringify(delivery)) };
  }

  /** Replaces the record only if it is still as `seen` (status and attempts): the loser of a race gets false. */
  async update(seen: OutboxRecord, next: OutboxRecord): Promise<boolean> {
    return this.records.replaceWhere(next, { status: seen.status, attempts: seen.attempts, progress: seen.progress });
  }

  /** A recipient's records still to send, oldest first. */
  async queueOf(recipient: string): Promise<OutboxRecord[]> {
    const found = await this.records.find({ recipient, status: { $in: ['pending', 'sending'] } }, { sort: { createdAt: 1 } });
    return found.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a._id.localeCompare(b._id));
  }

  /** Cards sent for a case (with their response codes), oldest first. */
  cardsOf(caseId: string): Promise<OutboxRecord[]> {
    return this.records.find({ caseId, purpose: 'card' }, { sort: { createdAt: 1 } });
  }

  /** How the newest household message of a case is reaching the household, and through whom when relayed. */
  async householdRoute(caseId: string): Promise<{ route: HouseholdRoute; contacts: string[] } | undefined> {
    const [latest] = await this.records.find({ caseId, purpose: 'householdOutcome' }, { sort: { createdAt: -1 }, limit: 1 });
    if (!latest?.route) return undefined;
    const delivery = this.delivery(latest);
    const to = delivery.type === 'messages' ? delivery.to : undefined;
    return { route: latest.route, contacts: latest.route === 'monitoringContact' && to?.channel === 'app' ? appRecipients(to.userId) : [] };
  }

  /** Household messages held (neither way to the household open) that report a decision of `sender`, oldest first. */
  heldFor(sender: string): Promise<OutboxRecord[]> {
    return this.records.find({ sender: sender.toLowerCase(), status: 'held', purpose: 'householdOutcome' }, { sort: { createdAt: 1 }, limit: 50 });
  }

  find(filter: Filter, limit = 500): Promise<OutboxRecord[]> {
    return this.records.find(filter, { sort: { createdAt: 1 }, limit });
  }
}
