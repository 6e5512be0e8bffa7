import { randomUUID } from 'node:crypto';
import type { StateStore } from '../stores/state-store.js';

/**
 * A lock that lives only as long as its holder: taken with a short TTL and renewed every third of it while
 * the work runs. When the holder dies (kill -9, a lost host), the lease runs out within `ttlMs` and the next
 * caller gets it, instead of everyone waiting for a long fixed TTL.
 */
export interface LeaseOptions {
  ttlMs: number;
  /** How long `withLease` waits for a busy lease before giving up (0: do not wait). */
  waitMs?: number;
  pollMs?: number;
}

export class LeaseBusyError extends Error {
  readonly code = 'LEASE.BUSY';
}

export interface Lease {
  readonly key: string;
  readonly token: string;
  /** Stops renewing and releases the lease if it is still ours. */
  release(): Promise<void>;
  /** False once the lease was lost (renewal failed: the work took longer than a renewal round). */
  held(): boolean;
}

/** Tries once to take the lease; null when someone else holds it. */
export async function tryLease(store: StateStore, key: string, ttlMs: number): Promise<Lease | null> {
  const token = randomUUID();
  if (!(await store.setIfAbsent(key, token, ttlMs))) return null;
  let alive = true;
  const timer = setInterval(() => {
    store.extendIfEquals(key, token, ttlMs).then(
      (renewed) => {
        if (!renewed) alive = false;
      },
      () => {
        // A failed renewal is retried on the next round; the TTL still covers two more rounds.
      },
    );
  }, Math.max(10, Math.floor(ttlMs / 3)));
  timer.unref();
  return {
    key,
    token,
    held: () => alive,
    async release() {
      clearInterval(timer);
      alive = false;
      await store.deleteIfEquals(key, token);
    },
  };
}

/** Runs `fn` holding the lease `key`, waiting up to `waitMs` for it; throws LeaseBusyError when it stays busy. */
export async function withLease<T>(store: StateStore, key: string, options: LeaseOptions, fn: (lease: Lease) => Promise<T>): Promise<T> {
  const deadline = Date.now() + (options.waitMs ?? 0);
  let lease = await tryLease(store, key, options.ttlMs);
  while (!lease) {
    if (Date.now() >= deadline) throw new LeaseBusyError(`lease busy: ${key}`);
    await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 25));
    lease = await tryLease(store, key, options.ttlMs);
  }
  try {
    return await fn(lease);
  } finally {
    await lease.release();
  }
}
