import { DuplicateKeyError, type Collection, type Doc, type DocumentStore } from '../stores/document-store.js';
import type { AuditKey } from './audit-key.js';
import { canonicalJson, type JsonValue } from './canonical-json.js';
import { type AuditRecord, type ChainVerdict, chainRecord, headSeal, pendingSeal, stateMac, verifyChain } from './hash-chain.js';

type StoredRecord = Doc & AuditRecord<{ [key: string]: JsonValue }>;

/** Collection the audit trail lives in. */
export const AUDIT_COLLECTION = 'audit_events';
/** Concurrent appends to one case race for the next seq; the loser re-reads the head and tries again. */
const MAX_APPEND_ATTEMPTS = 5;

/** Appends kept losing the race for the next seq (many writers on one case at once). */
export class AuditAppendConflictError extends Error {
  readonly code = 'AUDIT.APPEND_CONFLICT';
}

/** `appendAt` was asked for a seq that would leave a gap, or that already holds another event. */
export class AuditSeqError extends Error {
  readonly code = 'AUDIT.SEQ';
}

/**
 * Append-only audit trail per case, chained by hashes keyed with the audit key, through the DocumentStore
 * port. A unique index on (caseId, seq), and `_id` = `caseId:seq`, mean two appends at the same seq can
 * never both land. Nothing here updates or deletes a record.
 */
export class AuditLog {
  private readonly records: Collection<StoredRecord>;
  private indexed: Promise<void> | undefined;

  constructor(
    docs: DocumentStore,
    private readonly key: AuditKey,
    collectionName: string = AUDIT_COLLECTION,
  ) {
    this.records = docs.collection<StoredRecord>(collectionName);
  }

  /** Adds `event` as the case's next record and returns it. The event must be JSON data (see canonicalJson). */
  async append(caseId: string, event: object): Promise<AuditRecord<{ [key: string]: JsonValue }>> {
    await this.ensureIndexes();
    // Stored exactly as hashed: a plain JSON copy with undefined properties already gone.
    const clean = JSON.parse(canonicalJson(event)) as { [key: string]: JsonValue };
    for (let attempt = 1; attempt <= MAX_APPEND_ATTEMPTS; attempt++) {
      const record = chainRecord(this.key, await this.head(caseId), caseId, clean);
      try {
        await this.records.insert({ _id: `${caseId}:${record.seq}`, ...record });
        return record;
      } catch (error) {
        if (!(error instanceof DuplicateKeyError)) throw error;
      }
    }
    throw new AuditAppendConflictError(`audit: could not append to case ${caseId} after ${MAX_APPEND_ATTEMPTS} attempts`);
  }

  /**
   * Adds `event` as record `seq` of the case, exactly once: when record `seq` already holds this event (a
   * retry, or two instances finishing the same step) it is returned as stored. Lets a caller that knows the
   * position (a case whose version counts its events) append idempotently. `state` is the case's procedure
   * state the step produced: the record carries its keyed MAC, which the audit check compares with the case.
   */
  async appendAt(caseId: string, seq: number, event: object, state?: object): Promise<AuditRecord<{ [key: string]: JsonValue }>> {
    if (!Number.isInteger(seq) || seq < 1) throw new AuditSeqError(`audit: seq must be a whole number from 1, got ${seq}`);
    await this.ensureIndexes();
    const clean = JSON.parse(canonicalJson(event)) as { [key: string]: JsonValue };
    const mac = state === undefined ? undefined : this.stateMacOf(state);
    const existing = await this.records.get(`${caseId}:${seq}`);
    if (existing) return this.same(existing, clean, mac);
    const previous = seq === 1 ? null : await this.records.get(`${caseId}:${seq - 1}`);
    if (seq > 1 && !previous) throw new AuditSeqError(`audit: case ${caseId} has no record ${seq - 1} to follow`);
    const record = chainRecord(this.key, previous ? strip(previous) : null, caseId, clean, mac);
    try {
      await this.records.insert({ _id: `${caseId}:${seq}`, ...record });
      return record;
    } catch (error) {
      if (!(error instanceof DuplicateKeyError)) throw error;
      const winner = await this.records.get(`${caseId}:${seq}`);
      if (!winner) throw error;
      return this.same(winner, clean, mac);
    }
  }

  private same(stored: StoredRecord, event: { [key: string]: JsonValue }, mac: string | undefined): AuditRecord<{ [key: string]: JsonValue }> {
    if (canonicalJson(stored.event) !== canonicalJson(event)) throw new AuditSeqError(`audit: case ${stored.caseId} record ${stored.seq} holds another event`);
    if (stored.stateMac !== mac) throw new AuditSeqError(`audit: case ${stored.caseId} record ${stored.seq} holds another case state`);
    return strip(stored);
  }

  /** The case's records in seq order. */
  async read(caseId: string): Promise<AuditRecord<{ [key: string]: JsonValue }>[]> {
    const found = await this.records.find({ caseId }, { sort: { seq: 1 } });
    return found.map(strip);
  }

  /** Record `seq` of the case, or null when there is none. */
  async at(caseId: string, seq: number): Promise<AuditRecord<{ [key: string]: JsonValue }> | null> {
    const record = await this.records.get(`${caseId}:${seq}`);
    return record ? strip(record) : null;
  }

  /** The case's last record, or null before the first. */
  async head(caseId: string): Promise<AuditRecord<{ [key: string]: JsonValue }> | null> {
    const [last] = await this.records.find({ caseId }, { sort: { seq: -1 }, limit: 1 });
    return last ? strip(last) : null;
  }

  /** Verifies the case's stored chain; pass the head the case itself recorded to catch a cut-off tail. */
  async verifyCase(caseId: string, expectedHead?: { seq: number; hash: string }): Promise<ChainVerdict> {
    return verifyChain(this.key, await this.read(caseId), expectedHead);
  }

  /** The keyed MAC of a case's procedure state, to compare with the `stateMac` of the record that produced it. */
  stateMacOf(state: object): string {
    return stateMac(this.key, state);
  }

  /** The keyed seal of a case's head, stored with the case and checked by the audit check. */
  sealHead(caseId: string, head: { seq: number; hash: string }): string {
    return headSeal(this.key, caseId, head);
  }

  /** The keyed seal of a pending step and the state it produced (see `pendingSeal`). */
  sealPending(caseId: string, event: object, state: object): string {
    return pendingSeal(this.key, caseId, event, state);
  }

  private ensureIndexes(): Promise<void> {
    this.indexed ??= this.records.ensureIndex(['caseId', 'seq'], { unique: true });
    return this.indexed;
  }
}

function strip({ _id: _ignored, ...record }: StoredRecord): AuditRecord<{ [key: string]: JsonValue }> {
  return record;
}
