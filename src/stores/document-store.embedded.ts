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
    await this.run(() => this.db.insertAsync({ ...doc }));
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
    await this.run(() => this.db.updateAsync({ _id: doc._id }, { ...doc }, { upsert: true }));
  }

  async replaceWhere(doc: T, where: Filter): Promise<boolean> {
    const { numAffected } = await this.run(() => this.db.updateAsync({ ...toNedbQuery(where), _id: doc._id }, { ...doc }, {}));
    return numAffected === 1;
  }

  async delete(id: string): Promise<boolean> {
    return (await this.run(() => this.db.removeAsync({ _id: id }, {}))) === 1;
  }

  async ensureIndex(fields: string[], options: { unique?: boolean } = {}): Promise<void> {
    const fieldName = fields.length === 1 && fields[0] !== undefined ? fields[0] : fields;
    await this.run(() => this.db.ensureIndexAsync({ fieldName, unique: options.unique ?? false }));
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
