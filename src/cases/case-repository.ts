import { caseSnapshotSchema } from '../procedure/case-snapshot.js';
import type { Stage } from '../procedure/stages.js';
import type { Collection, DocumentStore } from '../stores/document-store.js';
import type { CaseRecord, OpenHouseholdMark } from './case-record.js';

/** A stored case whose procedure state does not read back as a CaseSnapshot (a bug or a hand edit). */
export class CaseRecordInvalidError extends Error {
  readonly code = 'CASE.INVALID_RECORD';
}

/** The cases collection and the open-household marks, with the indexes they need. */
export class CaseRepository {
  readonly cases: Collection<CaseRecord>;
  readonly openHouseholds: Collection<OpenHouseholdMark>;

  constructor(docs: DocumentStore) {
    this.cases = docs.collection<CaseRecord>('cases');
    this.openHouseholds = docs.collection<OpenHouseholdMark>('openHouseholds');
  }

  async init(): Promise<void> {
    await this.cases.ensureIndex(['caseNumber'], { unique: true });
    await this.cases.ensureIndex(['declaration.declarantKey']);
    await this.cases.ensureIndex(['household.idNumberKey']);
    await this.cases.ensureIndex(['area.village', 'procedure.stage']);
  }

  /** The case, its procedure state checked. */
  async get(id: string): Promise<CaseRecord | null> {
    const record = await this.cases.get(id);
    return record && checked(record);
  }

  async byNumber(caseNumber: string): Promise<CaseRecord | null> {
    const record = await this.cases.findOne({ caseNumber });
    return record && checked(record);
  }

  /** The cases a person declared, newest first. */
  async declaredBy(declarantKey: string): Promise<CaseRecord[]> {
    return (await this.cases.find({ 'declaration.declarantKey': declarantKey }, { sort: { createdAt: -1 }, limit: 5 })).map(checked);
  }

  /** The household's latest case, open or closed. */
  async latestOf(idNumberKey: string): Promise<CaseRecord | null> {
    const [latest] = await this.cases.find({ 'household.idNumberKey': idNumberKey }, { sort: { createdAt: -1 }, limit: 1 });
    return latest ? checked(latest) : null;
  }

  /** Cases of these villages in these stages, oldest first. */
  async inVillages(villages: readonly string[], stages: readonly Stage[]): Promise<CaseRecord[]> {
    if (villages.length === 0 || stages.length === 0) return [];
    const found = await this.cases.find({ 'area.village': { $in: [...villages] }, 'procedure.stage': { $in: [...stages] } }, { sort: { createdAt: 1 } });
    return found.map(checked);
  }
}

function checked(record: CaseRecord): CaseRecord {
  const parsed = caseSnapshotSchema.safeParse(record.procedure);
  if (!parsed.success) {
    const where = parsed.error.issues.map((i) => i.path.join('.') || '(root)').join(', ');
    throw new CaseRecordInvalidError(`case ${record._id}: stored procedure state is invalid at ${where}`);
  }
  return { ...record, procedure: parsed.data };
}
