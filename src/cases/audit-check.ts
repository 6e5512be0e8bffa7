import { AuditLog } from '../audit/audit-log.js';
import type { ChainVerdict } from '../audit/hash-chain.js';
import type { DocumentStore } from '../stores/document-store.js';
import type { CaseRecord } from './case-record.js';

/**
 * What checking one case's audit trail found. `brokenAt` counts records from 1 (record n has seq n).
 * @example { "status": "broken", "caseNumber": "20261122-0001", "records": 9, "brokenAt": 3, "reason": "altered" }
 */
export type AuditCheck =
  | { status: 'unknownCase'; caseNumber: string }
  | { status: 'ok'; caseNumber: string; records: number; caseVersion: number }
  | { status: 'broken'; caseNumber: string; records: number; brokenAt: number; reason: Extract<ChainVerdict, { ok: false }>['reason'] };

/**
 * Verifies the hash chain of a case's audit trail and that it ends where the case says it does. The case
 * document is read as stored (not validated), so a tampered case is reported rather than refused.
 * A step still pending (written with the case, not yet appended) may or may not be in the trail yet.
 */
export async function checkCaseAudit(docs: DocumentStore, caseNumber: string): Promise<AuditCheck> {
  const record = await docs.collection<CaseRecord>('cases').findOne({ caseNumber });
  if (!record) return { status: 'unknownCase', caseNumber };
  const log = new AuditLog(docs);
  const trail = await log.read(record._id);
  const pending = record.auditPending;
  const pendingIn = pending !== undefined && trail.length > 0 && trail[trail.length - 1]!.seq === pending.version;
  const head = pendingIn ? trail[trail.length - 1] : record.auditHead;
  let verdict = await log.verifyCase(record._id, head ?? undefined);
  // Each version of the case is one record (the opening is version 1), so the trail must be as long as the case is old.
  const expected = pending && !pendingIn ? record.procedure.version - 1 : record.procedure.version;
  if (verdict.ok && trail.length !== expected) verdict = { ok: false, brokenAt: Math.min(trail.length, expected), reason: 'missing' };
  if (!verdict.ok) return { status: 'broken', caseNumber, records: trail.length, brokenAt: verdict.brokenAt + 1, reason: verdict.reason };
  return { status: 'ok', caseNumber, records: trail.length, caseVersion: record.procedure.version };
}

const BROKEN_WORDS: Record<Extract<AuditCheck, { status: 'broken' }>['reason'], string> = {
  altered: 'was altered',
  missing: 'is missing',
  reordered: 'is out of order',
};

/** One line for the operator: OK, NOT FOUND, or BROKEN with where. */
export function describeAuditCheck(result: AuditCheck): string {
  switch (result.status) {
    case 'unknownCase':
      return `NOT FOUND ${result.caseNumber}: no case with this number`;
    case 'ok':
      return `OK ${result.caseNumber}: ${result.records} audit records, chain intact, ends at case version ${result.caseVersion}`;
    case 'broken':
      return `BROKEN ${result.caseNumber}: record ${result.brokenAt} ${BROKEN_WORDS[result.reason]} (${result.records} records stored)`;
  }
}

/** 0 = intact, 1 = broken, 2 = no such case. */
export function auditCheckExitCode(result: AuditCheck): number {
  return result.status === 'ok' ? 0 : result.status === 'broken' ? 1 : 2;
}
