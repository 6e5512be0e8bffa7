import { Redis } from 'ioredis';
import type { StateStore } from './state-store.js';

export interface RedisStateStoreOptions {
  url: string;
  /** Prepended to every key so several apps can share one Redis. Default 'fpfp:'. */
  keyPrefix?: string;
  /**
   * Connection errors (the client keeps reconnecting on its own). Commands still reject, so this is
   * only for logging; without it they are dropped instead of ioredis printing them to stderr.
   */
  onError?: (error: Error) => void;
}

const PING_TIMEOUT_MS = 1_500;
const QUIT_TIMEOUT_MS = 1_000;

/** Compare-and-delete: a lock is only released by the holder that still owns it. */
const DELETE_IF_EQUALS = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

/** Compare-and-expire: a lease is only renewed by the holder that still owns it. */
const EXTEND_IF_EQUALS = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0`;

/** INCR that sets the expiry only when it creates the key, so later hits do not extend the window. */
const INCREMENT = `
local created = redis.call('EXISTS', KEYS[1]) == 0
local value = redis.call('INCR', KEYS[1])
if created and tonumber(ARGV[1]) > 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return value`;

interface ScriptCommands {
  fpfpDeleteIfEquals(key: string, expected: string): Promise<number>;
  fpfpIncrement(key: string, ttlMs: number): Promise<number>;
  fpfpExtendIfEquals(key: string, expected: string, ttlMs: number): Promise<number>;
}

/** StateStore on Redis, shared by every service instance. Values are never logged. */
export class RedisStateStore implements StateStore {
  private readonly client: Redis;
  private readonly scripts: ScriptCommands;
  private readonly keyPrefix: string;

  constructor(options: RedisStateStoreOptions) {
    this.keyPrefix = options.keyPrefix ?? 'fpfp:';
    this.client = new Redis(options.url, {
      keyPrefix: this.keyPrefix,
      lazyConnect: false,
      // Fail fast: a webhook answers 5xx and WeCom retries, rather than hanging past its 5 s limit.
      maxRetriesPerRequest: 1,
      enableOfflineQueue: true,
      connectTimeout: 2_000,
      commandTimeout: 3_000,
      // Never give up: keep reconnecting with capped backoff so the service recovers when Redis returns.
      retryStrategy: (times) => Math.min(100 * 2 ** Math.min(times, 5), 2_000),
    });
    this.client.on('error', (error: Error) => options.onError?.(error));
    this.client.defineCommand('fpfpDeleteIfEquals', { numberOfKeys: 1, lua: DELETE_IF_EQUALS });
    this.client.defineCommand('fpfpIncrement', { numberOfKeys: 1, lua: INCREMENT });
    this.client.defineCommand('fpfpExtendIfEquals', { numberOfKeys: 1, lua: EXTEND_IF_EQUALS });
    // defineCommand adds methods ioredis cannot type.
    this.scripts = this.client as unknown as ScriptCommands;
  }

  async get(key: string): Promise<string | null> {
    return this.client.get(key);
  }

  async set(key: string, value: string, ttlMs?: number): Promise<void> {
    if (ttlMs === undefined) await this.client.set(key, value);
    else await this.client.set(key, value, 'PX', checkTtl(ttlMs));
  }

  async setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean> {
    return (await this.client.set(key, value, 'PX', checkTtl(ttlMs), 'NX')) === 'OK';
  }

  async delete(key: string): Promise<void> {
    await this.client.del(key);
  }

  async deleteIfEquals(key: string, expected: string): Promise<boolean> {
    return (await this.scripts.fpfpDeleteIfEquals(key, expected)) === 1;
  }

  async extendIfEquals(key: string, expected: string, ttlMs: number): Promise<boolean> {
    return (await this.scripts.fpfpExtendIfEquals(key, expected, checkTtl(ttlMs))) === 1;
  }

  async increment(key: string, ttlMs?: number): Promise<number> {
    return this.scripts.fpfpIncrement(key, ttlMs === undefined ? 0 : checkTtl(ttlMs));
  }

  async ttl(key: string): Promise<number | null> {
    const ms = await this.client.pttl(key);
    return ms < 0 ? null : ms; // -2: missing, -1: no expiry
  }

  async keys(prefix: string): Promise<string[]> {
    // ioredis does not prefix SCAN's MATCH pattern, nor strip the prefix from its results.
    const pattern = `${escapeGlob(this.keyPrefix + prefix)}*`;
    const found = new Set<string>();
    let cursor = '0';
    do {
      const [next, batch] = await this.client.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
      for (const key of batch) found.add(key.slice(this.keyPrefix.length));
      cursor = next;
    } while (cursor !== '0');
    return [...found];
  }

  async ping(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`Redis did not answer PING within ${PING_TIMEOUT_MS} ms`)), PING_TIMEOUT_MS);
    });
    try {
      await Promise.race([this.client.ping(), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    if (this.client.status === 'end') return;
    if (this.client.status !== 'ready') {
      this.client.disconnect(); // QUIT would wait in the offline queue for a server that is not there
      return;
    }
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, QUIT_TIMEOUT_MS);
    });
    try {
      await Promise.race([this.client.quit(), timeout]);
    } catch {
      // The connection dropped while quitting; disconnect below finishes the job.
    } finally {
      clearTimeout(timer);
      this.client.disconnect();
    }
  }
}

/** Redis rejects PX 0 and fractional PX; check first so both adapters fail the same way. */
function checkTtl(ttlMs: number): number {
  if (!Number.isInteger(ttlMs) || ttlMs <= 0) throw new RangeError(`ttlMs must be a positive integer, got ${ttlMs}`);
  return ttlMs;
}

/** Keys may contain glob characters (`*?[]\`); SCAN MATCH must treat them literally. */
function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, '\\$&');
}
