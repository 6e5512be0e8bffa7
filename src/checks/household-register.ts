import type { Collection, DocumentStore } from '../stores/document-store.js';

/**
 * A household the system knows that is not (yet) a case: a key-group household a township or county
 * imported from its register (重点对象台账). Keyed like cases by the ID number's lookup key
 * (`vault.lookupKey('idNumber', …)`), so a household that is also a case, or is imported twice, is one
 * household. The ID number is sealed and shown masked, as in a case.
 * @example { "_id": "Jx3…(lookup key)", "head": "张三", "idNumberSealed": "v1.…", "idNumberMasked": "4306**********1234",
 *   "area": { "county": "430621", "township": "430621101", "village": "430621101201", "group": "430621101201-01" },
 *   "keyGroups": ["seriousIllness"], "sources": [{ "importId": "reg-…", "by": "admin", "at": "2026-11-22T08:00:00.000Z", "line": 2 }],
 *   "createdAt": "2026-11-22T08:00:00.000Z", "updatedAt": "2026-11-22T08:00:00.000Z" }
 */
export interface RegisteredHousehold {
  /** The ID number's lookup key (the same key cases are found by). */
  _id: string;
  head: string;
  idNumberSealed: string;
  idNumberMasked: string;
  area: { county: string; township: string; village: string; group?: string };
  /** Key groups (profile `keyGroups` ids) the registers put the household in. */
  keyGroups: string[];
  /** Each import that named the household: which one, who ran it, when, and the line of the file. */
  sources: { importId: string; by: string; at: string; line: number }[];
  createdAt: string;
  updatedAt: string;
}

/** The `households` collection. */
export class HouseholdRegister {
  readonly households: Collection<RegisteredHousehold>;

  constructor(docs: DocumentStore) {
    this.households = docs.collection<RegisteredHousehold>('households');
  }

  async init(): Promise<void> {
    await this.households.ensureIndex(['area.village']);
  }

  get(key: string): Promise<RegisteredHousehold | null> {
    return this.households.get(key);
  }

  /** Households registered in these villages. */
  async inVillages(villages: readonly string[]): Promise<RegisteredHousehold[]> {
    if (villages.length === 0) return [];
    return this.households.find({ 'area.village': { $in: [...villages] } }, { sort: { createdAt: 1 } });
  }
}
