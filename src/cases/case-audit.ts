import type { AuditLog } from '../audit/audit-log.js';
import { canonicalJson } from '../audit/canonical-json.js';
import type { StoredEvent } from '../privacy/case-sealer.js';
import type { TransitionEvent } from '../procedure/transition-event.js';
import type { CaseRecord } from './case-record.js';
import type { CaseRepository } from './case-repository.js';

/**
 * A case as CaseAudit stores it: `auditSeal` is the keyed seal of `auditHead` (AuditLog.sealHead). The
 * audit check requires it, so rolling a case back to an earlier head needs the seal only the overwritten
 * case document held.
 * @example { "auditHead": { "seq": 2, "hash": "c3…" }, "auditSeal": "7a…", … }
 */
export type SealedCaseRecord = CaseRecord;

/** A pending step whose seal does not hold: written into the database by someone without the audit key. */
export class AuditPendingForgedError extends Error {
  readonly code = 'AUDIT.PENDING_FORGED';
}

/**
 * Moves a case's pending step into the audit trail. A step is written in the same document write as the
 * case change (`auditPending`), then appended here at seq = the case version it produced, which makes the
 * append idempotent: a retry, a crash in between, or two instances settling at once all leave one record.
 * The record carries the keyed MAC of the case state the step produced, and the case its sealed new head.
 * The pending step is written sealed (`withPending`); a pending step whose seal does not hold is refused.
 * In the trail, a step's `data` (but its clear keys) and `reason` are encrypted by the Vault (CaseSealer.sealEvent),
 * as they are in the case's `auditPending`. The chain's hashes cover the record as stored, so the chain verifies
 * without opening anything; the state MAC and the pending seal cover the plain procedure state and step, so
 * encrypting (with a fresh IV at every write) and a case stored before encryption came in do not change them.
 */
export class CaseAudit {
  constructor(private readonly deps: { repo: CaseRepository; audit: AuditLog }) {}

  /** The record with its pending step appended and the new head stored; unchanged when nothing is pending. */
  async settle(record: CaseRecord): Promise<CaseRecord> {
    const pending = record.auditPending;
    if (!pending) return record;
    const { audit } = this.deps;
    if (record.auditPendingSeal !== audit.sealPending(record._id, pending, record.procedure)) {
      throw new AuditPendingForgedError(`case ${record.caseNumber}: its pending step is not sealed under the audit key`);
    }
    const appended = await audit.appendAt(record._id, pending.version, await this.trailForm(record._id, pending), record.procedure);
    const { auditPending: _settled, auditPendingSeal: _seal, ...rest } = record;
    const auditHead = { seq: appended.seq, hash: appended.hash };
    const settled: SealedCaseRecord = { ...rest, auditHead, auditSeal: audit.sealHead(record._id, auditHead) };
    // When the case has moved on meanwhile, whoever moved it settled this step first; nothing to store.
    await this.deps.repo.replaceWhere(settled, { 'procedure.version': record.procedure.version });
    return settled;
  }

  /**
   * The step as the trail stores it: encrypted, the same way every time, so a retry finds its own record. A step
   * already in the trail in the clear (appended by a version before encryption came in, which then stopped
   * before settling the case) is kept as it is: records are never rewritten.
   */
  private async trailForm(caseId: string, event: TransitionEvent): Promise<StoredEvent> {
    const there = await this.deps.audit.at(caseId, event.version);
    if (there && canonicalJson(there.event) === canonicalJson(event)) return event;
    return this.deps.repo.sealer.sealEvent(event);
  }

  /** The record with `event` as its pending step, sealed with the state it produced. */
  withPending(record: CaseRecord, event: TransitionEvent): CaseRecord {
    return { ...record, auditPending: event, auditPendingSeal: this.deps.audit.sealPending(record._id, event, record.procedure) };
  }

  /** The last step recorded for a case (settled or still pending), if any. */
  async lastEvent(record: CaseRecord): Promise<TransitionEvent | undefined> {
    if (record.auditPending) return record.auditPending;
    const head = await this.deps.audit.head(record._id);
    return head ? this.deps.repo.sealer.openEvent(head.event as unknown as StoredEvent) : undefined;
  }
}
