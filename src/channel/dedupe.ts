import type { StateStore } from '../stores/state-store.js';

/** On top of the accepted window: clocks of several instances a little apart, and slow handling. */
const CALLBACK_DEDUPE_MARGIN_MS = 5 * 60_000;
/** A 微信客服 cursor replay can reach three days back. */
export const KF_DEDUPE_TTL_MS = 3 * 24 * 3600_000;

/**
 * How long a callback's id stays claimed. A callback is accepted while its timestamp is within
 * `maxAgeSeconds` of our clock on either side, so one signed callback can be accepted from maxAge before
 * its timestamp until maxAge after it: the claim must outlive 2 × maxAge, or a callback stamped ahead
 * of our clock is handled again once its claim expires. Derived, never set on its own.
 * @example callbackDedupeTtlMs(600) === 1_500_000 // 2 × 10 min + 5 min
 */
export function callbackDedupeTtlMs(maxAgeSeconds: number): number {
  return 2 * maxAgeSeconds * 1000 + CALLBACK_DEDUPE_MARGIN_MS;
}

/** Marks on inbound ids, shared by every instance through the state store. */
export class Deduplicator {
  private readonly callbackTtlMs: number;

  /** `callbackMaxAgeSeconds` is the replay window the callback route applies (config CALLBACK_MAX_AGE_SECONDS). */
  constructor(
    private readonly store: StateStore,
    options: { callbackMaxAgeSeconds: number },
  ) {
    this.callbackTtlMs = callbackDedupeTtlMs(options.callbackMaxAgeSeconds);
  }

  /** Marks the id handled; true for the first caller only. Without `ttlMs`, held as long as a callback can be replayed. */
  claim(key: string, ttlMs = this.callbackTtlMs): Promise<boolean> {
    return this.store.setIfAbsent(`dedupe:${key}`, '1', ttlMs);
  }

  /** Whether the id was marked handled. */
  async seen(key: string): Promise<boolean> {
    return (await this.store.get(`dedupe:${key}`)) !== null;
  }

  /** Gives the id back, so the next delivery of it is handled. */
  release(key: string): Promise<void> {
    return this.store.delete(`dedupe:${key}`);
  }
}
