/**
 * Short-lived shared state: conversation state, callback dedupe marks, locks, the access_token cache,
 * 微信客服 reply windows. Redis in production (shared by every instance), in-process in local mode.
 * Values are strings; callers serialise. TTLs are in milliseconds.
 *
 * @example await store.setIfAbsent('dedupe:1000002:zhangsan:123', '1', 600_000) // true the first time only
 */
export interface StateStore {
  get(key: string): Promise<string | null>;
  /** Set a value; without `ttlMs` it is kept until deleted. */
  set(key: string, value: string, ttlMs?: number): Promise<void>;
  /** Atomically set only when the key is absent (Redis `SET NX PX`). True when this caller set it. */
  setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean>;
  delete(key: string): Promise<void>;
  /** Delete only while the stored value equals `expected` (compare-and-delete). True when deleted. */
  deleteIfEquals(key: string, expected: string): Promise<boolean>;
  /** Reset the TTL only while the stored value equals `expected` (renewing a lease). True when renewed. */
  extendIfEquals(key: string, expected: string, ttlMs: number): Promise<boolean>;
  /** Atomically add 1 and return the new value; `ttlMs` is applied when the key is created. */
  increment(key: string, ttlMs?: number): Promise<number>;
  /** Remaining time to live in ms; null when the key is absent or has no expiry. */
  ttl(key: string): Promise<number | null>;
  /** Every live key that starts with `prefix` (for operations and tests; not for hot paths). */
  keys(prefix: string): Promise<string[]>;
  /** Throws when the store cannot be reached. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
