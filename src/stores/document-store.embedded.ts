import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import nedbModule from '@seald-io/nedb';
import {
  DuplicateKeyError,
  type Collection,
  type Doc,
  type DocumentStore,
  type Filter,
  type FindOptions,
} from './document-store.js';

// nedb's typings declare an ES default export, but the package is CommonJS (`module.exports = Datastore`),
// so under NodeNext the default import is the class itself at runtime while TypeScript sees `{ default }`.
const Datastore = nedbModule as unknown as typeof nedbModule.default;
type Nedb = InstanceType<typeof Datastore>;

/**
 * The nedb internals a write needs to be all-or-nothing. nedb changes its in-memory indexes first and then
 * appends to the datafile; when the append fails (disk full, file unwritable) the change stays in memory, and
 * every later read sees a document that is not on disk (a phantom case, written out at the next compaction).
 * So each write runs as one task of nedb's own command queue, and a failed one puts memory back as it was.
 */
interface NedbInternals {
  executor: { pushAsync<T>(task: () => Promise<T>): Promise<T> };
  indexes: { _id: { getMatching(value: string): object[] } };
  _addToIndexes(doc: object): void;
  _removeFromIndexes(doc: object): void;
  _insertAsync(doc: object): Promise<unknown>;
  _updateAsync(query: object, update: object, options: object): Promise<{ numAffected: number }>;
  _removeAsync(query: object, options: object): Promise<number>;
}

/** nedb appends every write; compaction rewrites the datafile so it does not grow without bound. */
const AUTOCOMPACT_EVERY_MS = 10 * 60_000;
/** Collection names become file names, so nothing that could leave the directory is allowed. */
const COLLECTION_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;

/**
 * File-persisted DocumentStore for local mode: one nedb datafile per collection, `<dir>/<name>.db`.
 * nedb runs commands one at a time per datafile, so replaceWhere's check-and-replace is atomic.
 */
export class EmbeddedDocumentStore implements DocumentStore {
  private readonly datastores = new Map<string, Nedb>();
  private closed = false;

  private constructor(private readonly dir: string) {}

  static async open(options: { dir: string }): Promise<EmbeddedDocumentStore> {
    await mkdir(options.dir, { recursive: true });
    return new EmbeddedDocumentStore(options.dir);
  }

  collection<T extends Doc>(name: string): Collection<T> {
    if (this.closed) throw new Error('EmbeddedDocumentStore is closed');
    if (!COLLECTION_NAME.test(name)) throw new Error(`invalid collection name "${name}"`);
    let db = this.datastores.get(name);
    if (!db) {
      // Load errors surface through autoloadPromise, which every command awaits.
      db = new Datastore({ filename: join(this.dir, `${name}.db`), autoload: true, onload: () => {} });
      db.setAutocompactionInterval(AUTOCOMPACT_EVERY_MS);
      this.datastores.set(name, db);
    }
    return new EmbeddedCollection<T>(name, db);
  }

  async ping(): Promise<void> {
    if (this.closed) throw new Error('EmbeddedDocumentStore is closed');
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all(
      [...this.datastores.values()].map(async (db) => {
        db.stopAutocompaction();
        await db.autoloadPromise;
        await db.compactDatafileAsync();
      }),
    );
    this.datastores.clear();
  }
}

class EmbeddedCollection<T extends Doc> implements Collection<T> {
  constructor(
    private readonly name: string,
    private readonly db: Nedb,
  ) {}

  async insert(doc: T): Promise<void> {
    await this.write(doc._id, (db) => db._insertAsync({ ...doc }));
  }

  async get(id: string): Promise<T | null> {
    return this.findOne({ _id: id });
  }

  async findOne(filter: Filter): Promise<T | null> {
    const found = await this.run(() => this.db.findOneAsync(toNedbQuery(filter)));
    return (found as T | null) ?? null;
  }

  async find(filter: Filter, options: FindOptions = {}): Promise<T[]> {
    return this.run(async () => {
      let cursor = this.db.findAsync(toNedbQuery(filter));
      if (options.sort) cursor = cursor.sort(options.sort);
      if (options.skip !== undefined) cursor = cursor.skip(options.skip);
      if (options.limit !== undefined) cursor = cursor.limit(options.limit);
      // nedb's typings say a single document; the cursor resolves to an array of deep copies.
      return (await cursor) as unknown as T[];
    });
  }

  async count(filter: Filter): Promise<number> {
    return this.run(async () => (await this.db.countAsync(toNedbQuery(filter))) as unknown as number);
  }

  async put(doc: T): Promise<void> {
    await this.write(doc._id, (db) => db._updateAsync({ _id: doc._id }, { ...doc }, { upsert: true }));
  }

  async replaceWhere(doc: T, where: Filter): Promise<boolean> {
    const { numAffected } = await this.write(doc._id, (db) => db._updateAsync({ ...toNedbQuery(where), _id: doc._id }, { ...doc }, {}));
    return numAffected === 1;
  }

  async delete(id: string): Promise<boolean> {
    return (await this.write(id, (db) => db._removeAsync({ _id: id }, {}))) === 1;
  }

  async ensureIndex(fields: string[], options: { unique?: boolean } = {}): Promise<void> {
    const fieldName = fields.length === 1 && fields[0] !== undefined ? fields[0] : fields;
    await this.run(() => this.db.ensureIndexAsync({ fieldName, unique: options.unique ?? false }));
  }

  /**
   * One write to the document `id`, all or nothing: run as a single task of nedb's command queue (so no
   * other command sees it half done), and when it fails the document in memory is put back as it was.
   */
  private write<R>(id: string, change: (db: NedbInternals) => Promise<R>): Promise<R> {
    const db = this.db as unknown as NedbInternals;
    return this.run(() =>
      db.executor.pushAsync(async () => {
        const before = db.indexes._id.getMatching(id)[0];
        try {
          return await change(db);
        } catch (error) {
          const now = db.indexes._id.getMatching(id)[0];
          if (now !== before) {
            if (now) db._removeFromIndexes(now);
            if (before) db._addToIndexes(before);
          }
          throw error;
        }
      }),
    );
  }

  /** Waits for the datafile to load (rethrowing its error) and maps nedb's unique violation. */
  private async run<R>(command: () => Promise<R>): Promise<R> {
    await this.db.autoloadPromise;
    try {
      return await command();
    } catch (error) {
      if (isUniqueViolation(error)) throw new DuplicateKeyError(this.name);
      throw error;
    }
  }
}

/**
 * Our Filter is passed through as is, except for null, where nedb differs from MongoDB: Mongo's
 * `{ f: null }` also matches a missing field and `{ f: { $ne: null } }` does not; nedb's do the opposite.
 */
function toNedbQuery(filter: Filter): Record<string, unknown> {
  const query: Record<string, unknown> = {};
  const nullChecks: unknown[] = [];
  for (const [path, condition] of Object.entries(filter)) {
    if (condition === null) nullChecks.push({ $or: [{ [path]: null }, { [path]: { $exists: false } }] });
    else if (typeof condition === 'object' && '$ne' in condition && condition.$ne === null) {
      query[path] = { $exists: true, $ne: null };
    } else query[path] = condition;
  }
  if (nullChecks.length > 0) query.$and = nullChecks;
  return query;
}

function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'errorType' in error && error.errorType === 'uniqueViolated';
}
