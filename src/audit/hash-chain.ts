import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json.js';

/** The `prevHash` of a case's first record. */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * One link of a case's audit chain. `seq` counts from 1 per case, so a deleted record leaves a gap.
 * @example { "caseId": "c-1", "seq": 2, "prevHash": "9f…", "hash": "c3…", "event": { "action": "acceptLead", … } }
 */
export interface AuditRecord<E extends object = Record<string, unknown>> {
  caseId: string;
  seq: number;
  prevHash: string;
  hash: string;
  event: E;
}

/** What a verification found. `brokenAt` is the index (in the given order) of the first record that does not hold. */
export type ChainVerdict = { ok: true } | { ok: false; brokenAt: number; reason: 'altered' | 'missing' | 'reordered' };

/**
 * sha256(prevHash + canonical body), hex. The body is `{ caseId, seq, event }`, not the event alone, so
 * renumbering records or moving them to another case also breaks the chain.
 */
export function recordHash(prevHash: string, body: Pick<AuditRecord<object>, 'caseId' | 'seq' | 'event'>): string {
  return createHash('sha256').update(prevHash).update(canonicalJson({ caseId: body.caseId, seq: body.seq, event: body.event })).digest('hex');
}

/** The record that follows `previous` (or starts the chain when null). */
export function chainRecord<E extends object>(previous: AuditRecord<object> | null, caseId: string, event: E): AuditRecord<E> {
  const seq = previous ? previous.seq + 1 : 1;
  const prevHash = previous ? previous.hash : GENESIS_HASH;
  return { caseId, seq, prevHash, hash: recordHash(prevHash, { caseId, seq, event }), event };
}

/**
 * Checks one case's records in the order given (read them sorted by seq). Per record, in order:
 * its seq is the next one (a gap = `missing`, anything else = `reordered`); it links to the record before
 * it (`reordered` when it links to another record of the chain, as after swapping two records' seqs;
 * `altered` when to none: the record before was rewritten); its hash matches its own content (`altered`).
 * `expectedHead` (the last seq and hash the case knows of) also catches records cut off the end.
 */
export function verifyChain(records: readonly AuditRecord<object>[], expectedHead?: { seq: number; hash: string }): ChainVerdict {
  const seqs = new Set(records.map((r) => r.seq));
  const hashes = new Set(records.map((r) => r.hash));
  const caseId = records[0]?.caseId;
  for (let i = 0; i < records.length; i++) {
    const r = records[i]!;
    const expectedSeq = i + 1;
    if (r.seq !== expectedSeq) return { ok: false, brokenAt: i, reason: r.seq > expectedSeq && !seqs.has(expectedSeq) ? 'missing' : 'reordered' };
    const linkTo = i === 0 ? GENESIS_HASH : records[i - 1]!.hash;
    if (r.prevHash !== linkTo) return { ok: false, brokenAt: i, reason: hashes.has(r.prevHash) || r.prevHash === GENESIS_HASH ? 'reordered' : 'altered' };
    if (r.caseId !== caseId || recordHash(r.prevHash, r) !== r.hash) return { ok: false, brokenAt: i, reason: 'altered' };
  }
  if (expectedHead) {
    const last = records[records.length - 1];
    if (!last || last.seq < expectedHead.seq) return { ok: false, brokenAt: records.length, reason: 'missing' };
    if (last.seq !== expectedHead.seq || last.hash !== expectedHead.hash) return { ok: false, brokenAt: records.length - 1, reason: 'altered' };
  }
  return { ok: true };
}
