import type { AuditKey } from './audit-key.js';
import { canonicalJson } from './canonical-json.js';

/** The `prevHash` of a case's first record. */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * One link of a case's audit chain. `seq` counts from 1 per case, so a deleted record leaves a gap.
 * `stateMac` is the keyed MAC of the case's procedure state after this step (see `stateMac`); a record
 * appended without a case state (a bare event log) has none.
 * @example { "caseId": "c-1", "seq": 2, "prevHash": "9f…", "hash": "c3…", "stateMac": "5e…", "event": { "action": "acceptLead", … } }
 */
export interface AuditRecord<E extends object = Record<string, unknown>> {
  caseId: string;
  seq: number;
  prevHash: string;
  hash: string;
  stateMac?: string;
  event: E;
}

/** What a verification found. `brokenAt` is the index (in the given order) of the first record that does not hold. */
export type ChainVerdict = { ok: true } | { ok: false; brokenAt: number; reason: 'altered' | 'missing' | 'reordered' };

/**
 * HMAC-SHA-256 under the audit key of prevHash + the canonical body, hex. The body is `{ caseId, seq, event,
 * stateMac }`, not the event alone, so renumbering records, moving them to another case or swapping the
 * state a step produced also breaks the chain. Keyed, so a rewritten record's hash cannot be recomputed
 * without the key. Records chained before the key (plain sha256) no longer verify: there were no
 * deployments then, so none was kept.
 */
export function recordHash(key: AuditKey, prevHash: string, body: Pick<AuditRecord<object>, 'caseId' | 'seq' | 'event' | 'stateMac'>): string {
  return key.mac('record', prevHash, canonicalJson({ caseId: body.caseId, seq: body.seq, event: body.event, stateMac: body.stateMac }));
}

/** The keyed MAC of a case's procedure state (canonical JSON), as a step produced it or as it is stored now. */
export function stateMac(key: AuditKey, state: object): string {
  return key.mac('state', canonicalJson(state));
}

/**
 * The keyed seal of the head a case document records (its last record's seq and hash). A case rolled back
 * together with its trail (the last records deleted, the head pointed at an earlier one) would need the
 * seal of that earlier head, which only the overwritten version of the case document held.
 */
export function headSeal(key: AuditKey, caseId: string, head: { seq: number; hash: string }): string {
  return key.mac('head', canonicalJson({ caseId, seq: head.seq, hash: head.hash }));
}

/**
 * The keyed seal of a step written with the case and not yet in the trail (`auditPending`): the step and
 * the state it produced. A pending step without it (one written into the database by hand) never enters the trail.
 */
export function pendingSeal(key: AuditKey, caseId: string, event: object, state: object): string {
  return key.mac('pending', canonicalJson({ caseId, event, state }));
}

/** The record that follows `previous` (or starts the chain when null), with the MAC of the state it produced if given. */
export function chainRecord<E extends object>(key: AuditKey, previous: AuditRecord<object> | null, caseId: string, event: E, stateMacOfStep?: string): AuditRecord<E> {
  const seq = previous ? previous.seq + 1 : 1;
  const prevHash = previous ? previous.hash : GENESIS_HASH;
  const withState = stateMacOfStep === undefined ? {} : { stateMac: stateMacOfStep };
  return { caseId, seq, prevHash, hash: recordHash(key, prevHash, { caseId, seq, event, ...withState }), ...withState, event };
}

/**
 * Checks one case's records in the order given (read them sorted by seq). Per record, in order:
 * its seq is the next one (a gap = `missing`, anything else = `reordered`); it links to the record before
 * it (`reordered` when it links to another record of the chain, as after swapping two records' seqs;
 * `altered` when to none: the record before was rewritten); its keyed hash matches its own content (`altered`).
 * `expectedHead` (the last seq and hash the case knows of) also catches records cut off the end.
 */
export function verifyChain(key: AuditKey, records: readonly AuditRecord<object>[], expectedHead?: { seq: number; hash: string }): ChainVerdict {
  const seqs = new Set(records.map((r) => r.seq));
  const hashes = new Set(records.map((r) => r.hash));
  const caseId = records[0]?.caseId;
  for (let i = 0; i < records.length; i++) {
    const r = records[i]!;
    const expectedSeq = i + 1;
    if (r.seq !== expectedSeq) return { ok: false, brokenAt: i, reason: r.seq > expectedSeq && !seqs.has(expectedSeq) ? 'missing' : 'reordered' };
    const linkTo = i === 0 ? GENESIS_HASH : records[i - 1]!.hash;
    if (r.prevHash !== linkTo) return { ok: false, brokenAt: i, reason: hashes.has(r.prevHash) || r.prevHash === GENESIS_HASH ? 'reordered' : 'altered' };
    if (r.caseId !== caseId || !holds(key, r)) return { ok: false, brokenAt: i, reason: 'altered' };
  }
  if (expectedHead) {
    const last = records[records.length - 1];
    if (!last || last.seq < expectedHead.seq) return { ok: false, brokenAt: records.length, reason: 'missing' };
    if (last.seq !== expectedHead.seq || last.hash !== expectedHead.hash) return { ok: false, brokenAt: records.length - 1, reason: 'altered' };
  }
  return { ok: true };
}

/** A stored record hashes to its own hash (false, not a throw, when an edit left something that is not JSON). */
function holds(key: AuditKey, r: AuditRecord<object>): boolean {
  try {
    return recordHash(key, r.prevHash, r) === r.hash;
  } catch {
    return false;
  }
}
