import type { Collection, DocumentStore } from '../stores/document-store.js';
import type { CaseRecord, OpenHouseholdMark } from './case-record.js';

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
    await this.cases.ensureIndex(['area.village', 'stage']);
  }

  /** The cases a person declared, newest first. */
  declaredBy(declarantKey: string): Promise<CaseRecord[]> {
    return this.cases.find({ 'declaration.declarantKey': declarantKey }, { sort: { createdAt: -1 }, limit: 5 });
  }
}
