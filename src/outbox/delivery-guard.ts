import type { Delivery } from './outbox-item.js';
import type { OutboxRecord } from './outbox-store.js';

/**
 * What to do with a record that names deadline items (a reminder) just before it is sent: send it as recorded,
 * cancel it (everything it reminds of is done), or send `delivery` instead (some of it is done).
 * @example { "kind": "cancel", "reason": "done" }
 */
export type GuardVerdict = { kind: 'send' } | { kind: 'cancel'; reason: string } | { kind: 'replace'; delivery: Delivery; items?: string[] };

/** Looks at a reminder again just before it goes out (src/reminders answers); throws when it cannot tell (tried again later). */
export type DeliveryGuard = (record: OutboxRecord, delivery: Delivery) => Promise<GuardVerdict>;
