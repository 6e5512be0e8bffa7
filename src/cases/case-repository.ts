import { CaseSealer, SealedDataError } from '../privacy/case-sealer.js';
import type { Vault } from '../privacy/vault.js';
import { caseSnapshotSchema } from '../procedure/case-snapshot.js';
import type { Stage } from '../procedure/stages.js';
import type { Collection, DocumentStore, Filter } from '../stores/document-store.js';
import type { CaseRecord, OpenHouseholdMark, StoredCaseRecord } from './case-record.js';

/** A stored case whose procedure state does not read back as a CaseSnapshot (a bug or a hand edit). */
export class CaseRecordInvalidError extends Error {
  readonly code = 'CASE.INVALID_RECORD';
}

/**
 * The cases collection and the open-household marks, with the indexes they need. Cases are written through
 * `insert` and `replaceWhere`, which seal the procedure state's income and free texts and the pending step's
 * data (CaseSealer); every read opens them, so callers only ever see plain CaseRecords. `cases` is the raw
 * collection, for counts and for tests that write what an attacker or an older version would.
 */
export class CaseRepository {
  readonly cases: Collection<StoredCaseRecord>;
  readonly openHouseholds: Collection<OpenHouseholdMark>;
  /** How case states and audit steps are sealed at rest (CaseAudit seals the steps it appends with it). */
  readonly sealer: CaseSealer;

  constructor(docs: DocumentStore, vault: Vault) {
    this.cases = docs.collection<StoredCaseRecord>('cases');
    this.openHouseholds = docs.collection<OpenHouseholdMark>('openHouseholds');
    this.sealer = new CaseSealer(vault);
  }

  async init(): Promise<void> {
    await this.cases.ensureIndex(['caseNumber'], { unique: true });
    await this.cases.ensureIndex(['declaration.declarantKey']);
    await this.cases.ensureIndex(['household.idNumberKey']);
    await this.cases.ensureIndex(['area.village', 'procedure.stage']);
  }

  /** Stores a new case, sealed; throws DuplicateKeyError on a clash (case number, id). */
  async insert(record: CaseRecord): Promise<void> {
    await this.cases.insert(this.sealed(record));
  }

  /** Replaces the case, sealed, only while the stored one still matches `where` (e.g. its version). */
  async replaceWhere(record: CaseRecord, where: Filter): Promise<boolean> {
    return this.cases.replaceWhere(this.sealed(record), where);
  }

  /** The case, its procedure state opened and checked. */
  async get(id: string): Promise<CaseRecord | null> {
    const record = await this.cases.get(id);
    return record && this.opened(record);
  }

  async byNumber(caseNumber: string): Promise<CaseRecord | null> {
    const record = await this.cases.findOne({ caseNumber });
    return record && this.opened(record);
  }

  /** The cases a person declared, newest first. */
  async declaredBy(declarantKey: string): Promise<CaseRecord[]> {
    return (await this.cases.find({ 'declaration.declarantKey': declarantKey }, { sort: { createdAt: -1 }, limit: 5 })).map((r) => this.opened(r));
  }

  /** The household's latest case, open or closed. */
  async latestOf(idNumberKey: string): Promise<CaseRecord | null> {
    const [latest] = await this.cases.find({ 'household.idNumberKey': idNumberKey }, { sort: { createdAt: -1 }, limit: 1 });
    return latest ? this.opened(latest) : null;
  }

  /** Cases of these villages in these stages, oldest first. */
  async inVillages(villages: readonly string[], stages: readonly Stage[]): Promise<CaseRecord[]> {
    if (villages.length === 0 || stages.length === 0) return [];
    const found = await this.cases.find({ 'area.village': { $in: [...villages] }, 'procedure.stage': { $in: [...stages] } }, { sort: { createdAt: 1 } });
    return found.map((r) => this.opened(r));
  }

  private sealed(record: CaseRecord): StoredCaseRecord {
    const { auditPending, ...rest } = record;
    return { ...rest, procedure: this.sealer.sealProcedure(record.procedure), ...(auditPending ? { auditPending: this.sealer.sealEvent(auditPending) } : {}) };
  }

  private opened(stored: StoredCaseRecord): CaseRecord {
    const { auditPending, ...rest } = stored;
    try {
      const parsed = caseSnapshotSchema.safeParse(this.sealer.openProcedure(stored.procedure));
      if (!parsed.success) {
        const where = parsed.error.issues.map((i) => i.path.join('.') || '(root)').join(', ');
        throw new CaseRecordInvalidError(`case ${stored._id}: stored procedure state is invalid at ${where}`);
      }
      return { ...rest, procedure: parsed.data, ...(auditPending ? { auditPending: this.sealer.openEvent(auditPending) } : {}) };
    } catch (err) {
      if (err instanceof SealedDataError) throw new CaseRecordInvalidError(`case ${stored._id}: ${err.message}`);
      throw err;
    }
  }
}
