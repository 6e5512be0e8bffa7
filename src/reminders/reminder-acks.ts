import type { Doc, DocumentStore, Collection } from '../stores/document-store.js';

/**
 * An acknowledgement (已知晓) of one deadline item, by whoever tapped it first.
 * @example { "_id": "case:5f0c…:assistancePlan:2026-12-02", "by": "wangcadre", "at": "2026-12-03T01:05:00.000Z" }
 */
export interface ReminderAck extends Doc {
  by: string;
  at: string;
}

/** Acknowledged items: an acknowledged item climbs no further (and one done by acknowledging is closed). */
export class ReminderAcks {
  private readonly acks: Collection<ReminderAck>;

  constructor(docs: DocumentStore) {
    this.acks = docs.collection<ReminderAck>('reminderAcks');
  }

  /** Records `by` acknowledging each key not acknowledged yet; returns how many it recorded or found. */
  async acknowledge(keys: readonly string[], by: string, at: Date): Promise<number> {
    for (const key of keys) {
      if (!(await this.acks.get(key))) await this.acks.put({ _id: key, by, at: at.toISOString() });
    }
    return keys.length;
  }

  /** Every acknowledged key. Keys name their due date, so an acknowledgement never covers a later deadline. */
  async acknowledged(): Promise<Set<string>> {
    return new Set((await this.acks.find({})).map((a) => a._id));
  }
}
