import type { AuditLog } from '../audit/audit-log.js';
import type { TransitionEvent } from '../procedure/transition-event.js';
import type { CaseRecord } from './case-record.js';
import type { CaseRepository } from './case-repository.js';

/**
 * Moves a case's pending step into the audit trail. A step is written in the same document write as the
 * case change (`auditPending`), then appended here at seq = the case version it produced, which makes the
 * append idempotent: a retry, a crash in between, or two instances settling at once all leave one record.
 */
export class CaseAudit {
  constructor(private readonly deps: { repo: CaseRepository; audit: AuditLog }) {}

  /** The record with its pending step appended and the new head stored; unchanged when nothing is pending. */
  async settle(record: CaseRecord): Promise<CaseRecord> {
    const pending = record.auditPending;
    if (!pending) return record;
    const appended = await this.deps.audit.appendAt(record._id, pending.version, pending);
    const { auditPending: _settled, ...rest } = record;
    const settled: CaseRecord = { ...rest, auditHead: { seq: appended.seq, hash: appended.hash } };
    // When the case has moved on meanwhile, whoever moved it settled this step first; nothing to store.
    await this.deps.repo.cases.replaceWhere(settled, { 'procedure.version': record.procedure.version });
    return settled;
  }

  /** The last step recorded for a case (settled or still pending), if any. */
  async lastEvent(record: CaseRecord): Promise<TransitionEvent | undefined> {
    if (record.auditPending) return record.auditPending;
    const head = await this.deps.audit.head(record._id);
    return head?.event as TransitionEvent | undefined;
  }
}
