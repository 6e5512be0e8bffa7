/**
 * Durable documents: cases, audit events, the 微信客服 cursors. MongoDB in production, an embedded
 * file-persisted store under DATA_DIR in local mode. Documents are plain JSON (strings, numbers,
 * booleans, null, arrays, objects); dates are ISO strings so both adapters sort and compare them alike.
 */
export interface Doc {
  _id: string;
}

export type Scalar = string | number | boolean | null;

/** A field condition: equality, or one of the few operators both adapters support identically. */
export type Condition =
  | Scalar
  | { $in: Scalar[] }
  | { $ne: Scalar }
  | { $gt: string | number }
  | { $gte: string | number }
  | { $lt: string | number }
  | { $lte: string | number }
  | { $exists: boolean };

/** Field path (dots reach into nested objects) → condition; all conditions must hold. */
export type Filter = Record<string, Condition>;

export interface FindOptions {
  sort?: Record<string, 1 | -1>;
  limit?: number;
  skip?: number;
}

export interface Collection<T extends Doc> {
  /** Insert a new document; throws DuplicateKeyError when `_id` or a unique index clashes. */
  insert(doc: T): Promise<void>;
  get(id: string): Promise<T | null>;
  findOne(filter: Filter): Promise<T | null>;
  find(filter: Filter, options?: FindOptions): Promise<T[]>;
  count(filter: Filter): Promise<number>;
  /** Insert or replace the whole document with this `_id`. */
  put(doc: T): Promise<void>;
  /**
   * Replace the document only while the stored one still matches `where` (optimistic concurrency,
   * e.g. `{ version: 3 }`). False when it no longer matches or does not exist.
   */
  replaceWhere(doc: T, where: Filter): Promise<boolean>;
  delete(id: string): Promise<boolean>;
  /** Idempotent. `unique` makes insert/put/replaceWhere throw DuplicateKeyError on a clash. */
  ensureIndex(fields: string[], options?: { unique?: boolean }): Promise<void>;
}

export interface DocumentStore {
  collection<T extends Doc>(name: string): Collection<T>;
  /** Throws when the store cannot be reached. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export class DuplicateKeyError extends Error {
  readonly code = 'STORE.DUPLICATE_KEY';
  constructor(readonly collection: string) {
    super(`duplicate key in collection "${collection}"`);
  }
}
