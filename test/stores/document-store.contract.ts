import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DuplicateKeyError, type Collection, type DocumentStore } from '../../src/stores/document-store.js';

export type MakeDocumentStore = () => Promise<{ store: DocumentStore; cleanup: () => Promise<void> }>;

interface CaseDoc {
  _id: string;
  version: number;
  status: string;
  priority: number;
  createdAt: string;
  owner: { userId: string; corpId: string };
  phone?: string;
  note?: string;
  closedAt?: string | null;
}

function caseDoc(n: number, overrides: Partial<CaseDoc> = {}): CaseDoc {
  return {
    _id: `case-${n}`,
    version: 1,
    status: n % 2 === 0 ? 'open' : 'closed',
    priority: n,
    createdAt: `2024-01-0${n}T08:00:00.000Z`,
    owner: { userId: n <= 2 ? 'zhangsan' : 'lisi', corpId: 'ww1000002' },
    ...overrides,
  };
}

const ids = (docs: { _id: string }[]) => docs.map((d) => d._id);

/** Behaviour every DocumentStore adapter must show; each test gets a fresh, empty store. */
export function documentStoreContract(name: string, make: MakeDocumentStore): void {
  describe(name, () => {
    let store: DocumentStore;
    let cleanup: () => Promise<void>;
    let cases: Collection<CaseDoc>;

    beforeEach(async () => {
      ({ store, cleanup } = await make());
      cases = store.collection<CaseDoc>('cases');
    });
    afterEach(async () => {
      await cleanup();
    });

    /** case-1 … case-5: priority 1–5, created 1–5 Jan, even ones open, case-3 has a phone. */
    async function seed(): Promise<void> {
      for (let n = 1; n <= 5; n++) await cases.insert(caseDoc(n, n === 3 ? { phone: '13800000000' } : {}));
    }

    it('inserts and gets a document', async () => {
      await cases.insert(caseDoc(1));
      expect(await cases.get('case-1')).toEqual(caseDoc(1));
      expect(await cases.get('case-404')).toBeNull();
    });

    it('throws DuplicateKeyError on a duplicate _id', async () => {
      await cases.insert(caseDoc(1));
      await expect(cases.insert(caseDoc(1, { status: 'other' }))).rejects.toBeInstanceOf(DuplicateKeyError);
      expect((await cases.get('case-1'))?.status).toBe('closed');
    });

    it('enforces a unique index on insert and on put', async () => {
      await cases.ensureIndex(['phone'], { unique: true });
      await cases.ensureIndex(['phone'], { unique: true }); // idempotent
      await cases.insert(caseDoc(1, { phone: '13800000000' }));
      await expect(cases.insert(caseDoc(2, { phone: '13800000000' }))).rejects.toBeInstanceOf(DuplicateKeyError);
      await cases.insert(caseDoc(2, { phone: '13900000000' }));
      await expect(cases.put(caseDoc(2, { phone: '13800000000' }))).rejects.toBeInstanceOf(DuplicateKeyError);
      expect((await cases.get('case-2'))?.phone).toBe('13900000000');
      expect(await cases.count({})).toBe(2);
    });

    it('finds by equality, dotted path, $in, $ne and $exists', async () => {
      await seed();
      expect(ids(await cases.find({ status: 'open' }, { sort: { _id: 1 } }))).toEqual(['case-2', 'case-4']);
      expect(ids(await cases.find({ 'owner.userId': 'zhangsan' }, { sort: { _id: 1 } }))).toEqual(['case-1', 'case-2']);
      expect(ids(await cases.find({ priority: { $in: [1, 5, 9] } }, { sort: { _id: 1 } }))).toEqual(['case-1', 'case-5']);
      expect(ids(await cases.find({ status: { $ne: 'closed' } }, { sort: { _id: 1 } }))).toEqual(['case-2', 'case-4']);
      expect(ids(await cases.find({ phone: { $exists: true } }))).toEqual(['case-3']);
      expect(await cases.count({ phone: { $exists: false } })).toBe(4);
      expect((await cases.findOne({ 'owner.userId': 'lisi', status: 'open' }))?._id).toBe('case-4');
      expect(await cases.findOne({ status: 'unknown' })).toBeNull();
    });

    it('treats null like MongoDB: equality matches null or missing, $ne null needs a value', async () => {
      await cases.insert(caseDoc(1, { closedAt: null }));
      await cases.insert(caseDoc(2, { closedAt: '2024-02-01T00:00:00.000Z' }));
      await cases.insert(caseDoc(3));
      expect(ids(await cases.find({ closedAt: null }, { sort: { _id: 1 } }))).toEqual(['case-1', 'case-3']);
      expect(ids(await cases.find({ closedAt: { $ne: null } }))).toEqual(['case-2']);
      expect(await cases.count({ closedAt: null, status: 'closed' })).toBe(2);
    });

    it('compares numbers and ISO date strings with $gt/$gte/$lt/$lte', async () => {
      await seed();
      const sorted = { sort: { _id: 1 as const } };
      expect(ids(await cases.find({ priority: { $gt: 3 } }, sorted))).toEqual(['case-4', 'case-5']);
      expect(ids(await cases.find({ priority: { $gte: 3 } }, sorted))).toEqual(['case-3', 'case-4', 'case-5']);
      expect(ids(await cases.find({ priority: { $lt: 2 } }, sorted))).toEqual(['case-1']);
      expect(ids(await cases.find({ priority: { $lte: 2 } }, sorted))).toEqual(['case-1', 'case-2']);
      expect(ids(await cases.find({ createdAt: { $gte: '2024-01-04T00:00:00.000Z' } }, sorted))).toEqual(['case-4', 'case-5']);
      expect(ids(await cases.find({ createdAt: { $lt: '2024-01-02T08:00:00.000Z' } }, sorted))).toEqual(['case-1']);
      expect(await cases.count({ createdAt: { $gt: '2024-01-02T08:00:00.000Z' }, priority: { $lte: 4 } })).toBe(2);
    });

    it('sorts ascending and descending, skips and limits', async () => {
      await seed();
      expect(ids(await cases.find({}, { sort: { priority: -1 } }))).toEqual(['case-5', 'case-4', 'case-3', 'case-2', 'case-1']);
      expect(ids(await cases.find({}, { sort: { createdAt: 1 }, skip: 1, limit: 2 }))).toEqual(['case-2', 'case-3']);
      expect(ids(await cases.find({}, { sort: { status: 1, priority: -1 } }))).toEqual(['case-5', 'case-3', 'case-1', 'case-4', 'case-2']);
      expect(await cases.find({}, { limit: 3 })).toHaveLength(3);
    });

    it('counts matching documents', async () => {
      expect(await cases.count({})).toBe(0);
      await seed();
      expect(await cases.count({})).toBe(5);
      expect(await cases.count({ status: 'open' })).toBe(2);
    });

    it('put inserts when absent and replaces the whole document when present', async () => {
      await cases.put(caseDoc(1, { note: 'first' }));
      expect((await cases.get('case-1'))?.note).toBe('first');
      await cases.put(caseDoc(1, { version: 2 }));
      expect(await cases.get('case-1')).toEqual(caseDoc(1, { version: 2 }));
      expect(await cases.count({})).toBe(1);
    });

    it('replaceWhere succeeds while the version matches and fails once another writer bumped it', async () => {
      await cases.insert(caseDoc(1));
      expect(await cases.replaceWhere(caseDoc(1, { version: 2, status: 'open' }), { version: 1 })).toBe(true);
      expect(await cases.replaceWhere(caseDoc(1, { version: 2, status: 'stale' }), { version: 1 })).toBe(false);
      expect(await cases.get('case-1')).toEqual(caseDoc(1, { version: 2, status: 'open' }));
      expect(await cases.replaceWhere(caseDoc(9), { version: 1 })).toBe(false);
      expect(await cases.get('case-9')).toBeNull();
    });

    it('lets exactly one of 10 concurrent replaceWhere calls with the same expected version win', async () => {
      await cases.insert(caseDoc(1));
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) => cases.replaceWhere(caseDoc(1, { version: 2, note: `writer-${i}` }), { version: 1 })),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
      expect((await cases.get('case-1'))?.note).toBe(`writer-${results.indexOf(true)}`);
    });

    it('delete returns true, then false', async () => {
      await cases.insert(caseDoc(1));
      expect(await cases.delete('case-1')).toBe(true);
      expect(await cases.delete('case-1')).toBe(false);
      expect(await cases.get('case-1')).toBeNull();
    });

    it('returns copies: mutating a result or the inserted object does not change the store', async () => {
      const doc = caseDoc(1);
      await cases.insert(doc);
      doc.owner.userId = 'mutated-input';
      const got = await cases.get('case-1');
      if (!got) throw new Error('case-1 missing');
      got.status = 'mutated';
      got.owner.userId = 'mutated';
      const [found] = await cases.find({ _id: 'case-1' });
      if (!found) throw new Error('case-1 missing');
      found.owner.corpId = 'mutated';
      expect(await cases.get('case-1')).toEqual(caseDoc(1));
    });

    it('round-trips Chinese text and keeps collections apart', async () => {
      const note = '村民张三反映：家中突发重病，医疗支出较大，存在返贫风险。';
      await cases.insert(caseDoc(1, { note }));
      expect((await cases.get('case-1'))?.note).toBe(note);
      expect(await cases.findOne({ note })).not.toBeNull();
      expect(await store.collection<CaseDoc>('audit').get('case-1')).toBeNull();
    });

    it('ping resolves', async () => {
      await expect(store.ping()).resolves.toBeUndefined();
    });
  });
}
