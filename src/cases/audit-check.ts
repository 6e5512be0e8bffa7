import { AuditLog } from '../audit/audit-log.js';
import type { JsonValue } from '../audit/canonical-json.js';
import type { AuditRecord, ChainVerdict } from '../audit/hash-chain.js';
import { CaseSealer } from '../privacy/case-sealer.js';
import type { Vault } from '../privacy/vault.js';
import type { DocumentStore } from '../stores/document-store.js';
import type { StoredCaseRecord } from './case-record.js';
import { DISCLOSURE_COLLECTION, disclosureChainId } from './phone-disclosures.js';

/** A record of the chain that does not hold (record n has seq n). */
type ChainBreak = Extract<ChainVerdict, { ok: false }>['reason'];
/** The chain holds, but the case does not stand where its trail says it does. */
type CaseBreak = 'noTrail' | 'notOpening' | 'headMismatch' | 'stateMismatch';

/**
 * What checking one case's audit trail found. `brokenAt` counts records from 1 (record n has seq n).
 * `pendingVersion`: the case's last step is written with the case but not yet in the trail (see CaseAudit).
 * @example { "status": "broken", "caseNumber": "20261122-0001", "records": 9, "brokenAt": 3, "reason": "altered" }
 * @example { "status": "broken", "caseNumber": "20261122-0001", "records": 2, "caseVersion": 2, "reason": "stateMismatch" }
 */
export type AuditCheck =
  | { status: 'unknownCase'; caseNumber: string }
  | { status: 'ok'; caseNumber: string; records: number; caseVersion: number; pendingVersion?: number }
  | { status: 'broken'; caseNumber: string; records: number; brokenAt: number; reason: ChainBreak }
  | { status: 'broken'; caseNumber: string; records: number; caseVersion: number; reason: CaseBreak };

/**
 * Verifies a case against its audit trail, under the audit key (`vault.auditKey`): the keyed chain holds and
 * ends where the case says it does (its sealed head, and one record per case version); it starts with the case's opening; and the
 * case's procedure state as stored now is the one its last record says the step produced. The case document
 * is read as stored (not validated), so a tampered case is reported rather than refused. The chain is checked
 * as stored (encrypted step data included); the case's state and pending step are opened with the Vault first,
 * since their MACs cover the plain forms. An encrypted part that does not open is a state that does not match.
 * A step still pending (written with the case, not yet appended) may or may not be in the trail yet; until it
 * is, the case's state cannot be checked against a MAC (it was written without one), only against the trail.
 * What the database alone cannot show: a case and its trail both restored from an earlier copy (a backup)
 * look exactly as they did then; catching that needs a record of heads kept outside the database.
 */
export async function checkCaseAudit(docs: DocumentStore, vault: Vault, caseNumber: string): Promise<AuditCheck> {
  const record = await docs.collection<StoredCaseRecord>('cases').findOne({ caseNumber });
  if (!record) return { status: 'unknownCase', caseNumber };
  const log = new AuditLog(docs, vault.auditKey);
  const sealer = new CaseSealer(vault);
  const trail = await log.read(record._id);
  // Read as stored: a forged case may lack even this.
  const version = record.procedure?.version;
  const broken = (reason: CaseBreak): AuditCheck => ({ status: 'broken', caseNumber, records: trail.length, caseVersion: version, reason });
  const last = trail[trail.length - 1];
  const pendingSealed = record.auditPending !== undefined && pendingSealHolds(log, sealer, record);
  if (!last) {
    // A case that crashed right after it was written: only its sealed opening, still pending.
    const opening = record.auditPending;
    const justOpened = pendingSealed && opening?.action === 'openCase' && opening.version === 1 && version === 1 && record.auditHead === null;
    return justOpened ? { status: 'ok', caseNumber, records: 0, caseVersion: 1, pendingVersion: 1 } : broken('noTrail');
  }

  const pending = record.auditPending;
  const pendingIn = pending !== undefined && last.seq === pending.version;
  const head = pendingIn ? last : record.auditHead;
  let verdict = await log.verifyCase(record._id, head ?? undefined);
  // Each version of the case is one record (the opening is version 1), so the trail must be as long as the case is old.
  const expected = pending && !pendingIn ? version - 1 : version;
  if (verdict.ok && trail.length !== expected) verdict = { ok: false, brokenAt: Math.min(trail.length, expected), reason: 'missing' };
  if (!verdict.ok) return { status: 'broken', caseNumber, records: trail.length, brokenAt: verdict.brokenAt + 1, reason: verdict.reason };

  if (!opens(trail[0]!, record._id)) return broken('notOpening');
  if (!headIsSealed(log, record, trail)) return broken('headMismatch');
  if (pending && !pendingIn) {
    // The pending step is sealed with the state it produced, and must follow on from the last record.
    const follows = pending.caseId === record._id && pending.version === version && pending.from === last.event.to && pending.to === record.procedure.stage;
    if (!follows || !pendingSealed) return broken('stateMismatch');
    return { status: 'ok', caseNumber, records: trail.length, caseVersion: version, pendingVersion: pending.version };
  }
  if (!stateMatches(log, sealer, record, last)) return broken('stateMismatch');
  return { status: 'ok', caseNumber, records: trail.length, caseVersion: version };
}

type StoredRecord = AuditRecord<{ [key: string]: JsonValue }>;

/** The trail starts with the case's opening. */
function opens(first: StoredRecord, caseId: string): boolean {
  const e = first.event;
  return e.action === 'openCase' && e.from === null && e.version === 1 && e.caseId === caseId;
}

/**
 * The head stored with the case is the record it should be at (the last one, or the one before a step still
 * pending) and carries its keyed seal; a case with only its opening pending has none yet.
 */
function headIsSealed(log: AuditLog, record: StoredCaseRecord, trail: readonly StoredRecord[]): boolean {
  const at = record.auditPending ? record.procedure.version - 1 : record.procedure.version;
  const head = record.auditHead;
  if (at === 0) return head === null;
  return head !== null && head.seq === at && trail[at - 1]?.hash === head.hash && record.auditSeal === log.sealHead(record._id, head);
}

/** The pending step's keyed seal holds for it and the stored procedure state, both opened. */
function pendingSealHolds(log: AuditLog, sealer: CaseSealer, record: StoredCaseRecord): boolean {
  try {
    return record.auditPendingSeal === log.sealPending(record._id, sealer.openEvent(record.auditPending!), sealer.openProcedure(record.procedure) as object);
  } catch {
    // A sealed part that does not open, or an edit that left something that is not JSON data.
    return false;
  }
}

/** The stored procedure state, opened, is the one the last record's step produced. */
function stateMatches(log: AuditLog, sealer: CaseSealer, record: StoredCaseRecord, last: StoredRecord): boolean {
  try {
    return last.stateMac !== undefined && last.stateMac === log.stateMacOf(sealer.openProcedure(record.procedure) as object);
  } catch {
    // A sealed part that does not open, or an edit that left something that is not JSON data.
    return false;
  }
}

const BROKEN_WORDS: Record<ChainBreak, string> = {
  altered: 'was altered',
  missing: 'is missing',
  reordered: 'is out of order',
};

const CASE_BROKEN_WORDS: Record<CaseBreak, string> = {
  noTrail: 'the case has no audit trail',
  notOpening: "its trail does not start with the case's opening",
  headMismatch: 'the case does not end where its trail does: a step removed or the case rolled back',
  stateMismatch: 'case state does not match its trail',
};

/** One line for the operator: OK, NOT FOUND, or BROKEN with where. */
export function describeAuditCheck(result: AuditCheck): string {
  switch (result.status) {
    case 'unknownCase':
      return `NOT FOUND ${result.caseNumber}: no case with this number`;
    case 'ok': {
      const pending = result.pendingVersion === undefined ? '' : `; step ${result.pendingVersion} is written with the case, not yet in the trail`;
      return `OK ${result.caseNumber}: ${result.records} audit records, chain intact, ends at case version ${result.caseVersion}${pending}`;
    }
    case 'broken':
      if ('brokenAt' in result) return `BROKEN ${result.caseNumber}: record ${result.brokenAt} ${BROKEN_WORDS[result.reason]} (${result.records} records stored)`;
      if (result.records === 0) return `BROKEN ${result.caseNumber}: ${CASE_BROKEN_WORDS[result.reason]} (0 records stored)`;
      return `BROKEN ${result.caseNumber}: ${CASE_BROKEN_WORDS[result.reason]} (${result.records} records stored, case version ${result.caseVersion})`;
  }
}

/** 0 = intact, 1 = broken, 2 = no such case. */
export function auditCheckExitCode(result: AuditCheck): number {
  return result.status === 'ok' ? 0 : result.status === 'broken' ? 1 : 2;
}

/**
 * The case's phone disclosures (who was shown the household's full number), a keyed chain of their own:
 * how many there are and whether the chain holds. `brokenAt` counts from 1. Undefined for an unknown case.
 */
export type DisclosureCheck = { records: number; ok: true } | { records: number; ok: false; brokenAt: number; reason: ChainBreak };

export async function checkPhoneDisclosures(docs: DocumentStore, vault: Vault, caseNumber: string): Promise<DisclosureCheck | undefined> {
  const record = await docs.collection<StoredCaseRecord>('cases').findOne({ caseNumber });
  if (!record) return undefined;
  const log = new AuditLog(docs, vault.auditKey, DISCLOSURE_COLLECTION);
  const chain = disclosureChainId(record._id);
  const records = (await log.read(chain)).length;
  const verdict = await log.verifyCase(chain);
  return verdict.ok ? { records, ok: true } : { records, ok: false, brokenAt: verdict.brokenAt + 1, reason: verdict.reason };
}

export function describeDisclosureCheck(caseNumber: string, check: DisclosureCheck): string {
  if (check.ok) return `OK ${caseNumber} phone disclosures: ${check.records} records, chain intact`;
  return `BROKEN ${caseNumber} phone disclosures: record ${check.brokenAt} ${BROKEN_WORDS[check.reason]} (${check.records} records stored)`;
}
