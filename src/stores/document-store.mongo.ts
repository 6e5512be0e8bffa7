import { MongoClient, MongoServerError, type Db, type Filter as MongoFilter, type Sort } from 'mongodb';
import {
  DuplicateKeyError,
  type Collection,
  type Doc,
  type DocumentStore,
  type Filter,
  type FindOptions,
} from './document-store.js';

/** DocumentStore on MongoDB. Our Filter is a subset of Mongo's query language, so calls map 1:1. */
export class MongoDocumentStore implements DocumentStore {
  private constructor(
    private readonly client: MongoClient,
    private readonly db: Db,
  ) {}

  /** The database is `dbName`, else the one in the URL path, else 'fpfp'. */
  static async connect(options: { url: string; dbName?: string }): Promise<MongoDocumentStore> {
    const client = await MongoClient.connect(options.url, { serverSelectionTimeoutMS: 5_000 });
    const fromUrl = /^mongodb(?:\+srv)?:\/\/[^/]+\/([^?]+)/.exec(options.url)?.[1];
    const dbName = options.dbName ?? (fromUrl ? decodeURIComponent(fromUrl) : 'fpfp');
    return new MongoDocumentStore(client, client.db(dbName));
  }

  collection<T extends Doc>(name: string): Collection<T> {
    const c = this.db.collection<T>(name);
    const where = (filter: Filter | { _id: string }) => filter as MongoFilter<T>;
    const guard = async <R>(command: () => Promise<R>): Promise<R> => {
      try {
        return await command();
      } catch (error) {
        if (error instanceof MongoServerError && error.code === 11000) throw new DuplicateKeyError(name);
        throw error;
      }
    };
    return {
      insert: (doc) => guard(async () => void (await c.insertOne({ ...doc } as Parameters<typeof c.insertOne>[0]))),
      get: async (id) => (await c.findOne(where({ _id: id }))) as T | null,
      findOne: async (filter) => (await c.findOne(where(filter))) as T | null,
      find: async (filter, options: FindOptions = {}) => {
        let cursor = c.find(where(filter));
        if (options.sort) cursor = cursor.sort(options.sort as Sort);
        if (options.skip !== undefined) cursor = cursor.skip(options.skip);
        if (options.limit !== undefined) cursor = cursor.limit(options.limit);
        return (await cursor.toArray()) as T[];
      },
      count: (filter) => c.countDocuments(where(filter)),
      put: (doc) => guard(async () => void (await c.replaceOne(where({ _id: doc._id }), doc, { upsert: true }))),
      replaceWhere: (doc, filter) =>
        guard(async () => (await c.replaceOne(where({ ...filter, _id: doc._id }), doc)).matchedCount === 1),
      delete: async (id) => (await c.deleteOne(where({ _id: id }))).deletedCount === 1,
      ensureIndex: (fields, options = {}) =>
        guard(async () => void (await c.createIndex(Object.fromEntries(fields.map((f) => [f, 1])), { unique: options.unique ?? false }))),
    };
  }

  async ping(): Promise<void> {
    await this.db.command({ ping: 1 });
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}
