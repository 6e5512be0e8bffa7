import { DuplicateKeyError, type Collection, type Doc, type DocumentStore } from '../stores/document-store.js';
import { canonicalJson, type JsonValue } from './canonical-json.js';
import { type AuditRecord, type ChainVerdict, chainRecord, verifyChain } from './hash-chain.js';

type StoredRecord = Doc & AuditRecord<{ [key: string]: JsonValue }>;

/** Collection the audit trail lives in. */
export const AUDIT_COLLECTION = 'audit_events';
/** Concurrent appends to one case race for the next seq; the loser re-reads the head and tries again. */
const MAX_APPEND_ATTEMPTS = 5;

/** Appends kept losing the race for the next seq (many writers on one case at once). */
export class AuditAppendConflictError extends Error {
  readonly code = 'AUDIT.APPEND_CONFLICT';
}

/**
 * Append-only, hash-chained audit trail per case, through the DocumentStore port. A unique index on
 * (caseId, seq), and `_id` = `caseId:seq`, mean two appends at the same seq can never both land.
 * Nothing here updates or deletes a record.
 */
export class AuditLog {
  private readonly records: Collection<StoredRecord>;
  private indexed: Promise<void> | undefined;

  constructor(docs: DocumentStore, collectionName: string = AUDIT_COLLECTION) {
    this.records = docs.collection<StoredRecord>(collectionName);
  }

  /** Adds `event` as the case's next record and returns it. The event must be JSON data (see canonicalJson). */
  async append(caseId: string, event: object): Promise<AuditRecord<{ [key: string]: JsonValue }>> {
    await this.ensureIndexes();
    // Stored exactly as hashed: a plain JSON copy with undefined properties already gone.
    const clean = JSON.parse(canonicalJson(event)) as { [key: string]: JsonValue };
    for (let attempt = 1; attempt <= MAX_APPEND_ATTEMPTS; attempt++) {
      const record = chainRecord(await this.head(caseId), caseId, clean);
      try {
        await this.records.insert({ _id: `${caseId}:${record.seq}`, ...record });
        return record;
      } catch (error) {
        if (!(error instanceof DuplicateKeyError)) throw error;
      }
    }
    throw new AuditAppendConflictError(`audit: could not append to case ${caseId} after ${MAX_APPEND_ATTEMPTS} attempts`);
  }

  /** The case's records in seq order. */
  async read(caseId: string): Promise<AuditRecord<{ [key: string]: JsonValue }>[]> {
    const found = await this.records.find({ caseId }, { sort: { seq: 1 } });
    return found.map(({ _id: _ignored, ...record }) => record);
  }

  /** The case's last record, or null before the first. */
  async head(caseId: string): Promise<AuditRecord<{ [key: string]: JsonValue }> | null> {
    const [last] = await this.records.find({ caseId }, { sort: { seq: -1 }, limit: 1 });
    if (!last) return null;
    const { _id: _ignored, ...record } = last;
    return record;
  }

  /** Verifies the case's stored chain; pass the head the case itself recorded to catch a cut-off tail. */
  async verifyCase(caseId: string, expectedHead?: { seq: number; hash: string }): Promise<ChainVerdict> {
    return verifyChain(await this.read(caseId), expectedHead);
  }

  private ensureIndexes(): Promise<void> {
    this.indexed ??= this.records.ensureIndex(['caseId', 'seq'], { unique: true });
    return this.indexed;
  }
}
