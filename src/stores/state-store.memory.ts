import type { StateStore } from './state-store.js';

interface Entry {
  value: string;
  /** Epoch ms; null keeps the key until deleted. */
  expiresAt: number | null;
}

/** How often writes sweep out expired keys that nobody reads again (dedupe marks, for example). */
const SWEEP_EVERY_MS = 60_000;

/**
 * In-process StateStore for local mode and tests. Every operation runs synchronously inside its
 * promise, so check-then-set sequences (setIfAbsent, deleteIfEquals, increment) cannot interleave.
 * Expired keys are invisible at once and dropped lazily.
 */
export class MemoryStateStore implements StateStore {
  private readonly entries = new Map<string, Entry>();
  private readonly now: () => number;
  private lastSweep: number;

  constructor(options: { now?: () => number } = {}) {
    this.now = options.now ?? Date.now;
    this.lastSweep = this.now();
  }

  async get(key: string): Promise<string | null> {
    return this.live(key)?.value ?? null;
  }

  async set(key: string, value: string, ttlMs?: number): Promise<void> {
    this.write(key, value, ttlMs);
  }

  async setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean> {
    if (this.live(key)) return false;
    this.write(key, value, ttlMs);
    return true;
  }

  async delete(key: string): Promise<void> {
    this.entries.delete(key);
  }

  async deleteIfEquals(key: string, expected: string): Promise<boolean> {
    if (this.live(key)?.value !== expected) return false;
    this.entries.delete(key);
    return true;
  }

  async extendIfEquals(key: string, expected: string, ttlMs: number): Promise<boolean> {
    const entry = this.live(key);
    if (entry?.value !== expected) return false;
    entry.expiresAt = this.now() + checkTtl(ttlMs);
    return true;
  }

  async increment(key: string, ttlMs?: number): Promise<number> {
    const entry = this.live(key);
    if (!entry) {
      this.write(key, '1', ttlMs);
      return 1;
    }
    // Same rule as Redis INCR: the stored value must be a base-10 integer.
    if (!/^-?\d+$/.test(entry.value)) throw new Error(`value at "${key}" is not an integer`);
    const next = Number(entry.value) + 1;
    entry.value = String(next);
    return next;
  }

  async ttl(key: string): Promise<number | null> {
    const entry = this.live(key);
    if (!entry || entry.expiresAt === null) return null;
    return entry.expiresAt - this.now();
  }

  async keys(prefix: string): Promise<string[]> {
    return [...this.entries.keys()].filter((key) => key.startsWith(prefix) && this.live(key));
  }

  async ping(): Promise<void> {}

  async close(): Promise<void> {
    this.entries.clear();
  }

  private live(key: string): Entry | undefined {
    const entry = this.entries.get(key);
    if (entry && entry.expiresAt !== null && entry.expiresAt <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }

  private write(key: string, value: string, ttlMs: number | undefined): void {
    const now = this.now();
    const expiresAt = ttlMs === undefined ? null : now + checkTtl(ttlMs);
    this.entries.set(key, { value, expiresAt });
    if (now - this.lastSweep >= SWEEP_EVERY_MS) this.sweep(now);
  }

  private sweep(now: number): void {
    this.lastSweep = now;
    for (const [key, entry] of this.entries) {
      if (entry.expiresAt !== null && entry.expiresAt <= now) this.entries.delete(key);
    }
  }
}

/** Redis rejects PX 0 and fractional PX; fail the same way here so both adapters agree. */
function checkTtl(ttlMs: number): number {
  if (!Number.isInteger(ttlMs) || ttlMs <= 0) throw new RangeError(`ttlMs must be a positive integer, got ${ttlMs}`);
  return ttlMs;
}
