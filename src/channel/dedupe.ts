import type { StateStore } from '../stores/state-store.js';

/** WeCom retries a callback up to three times within seconds; ten minutes covers them comfortably. */
export const CALLBACK_DEDUPE_TTL_MS = 10 * 60_000;
/** A 微信客服 cursor replay can reach three days back. */
export const KF_DEDUPE_TTL_MS = 3 * 24 * 3600_000;

/** At-most-once claims on inbound ids, shared by every instance through the state store. */
export class Deduplicator {
  constructor(private readonly store: StateStore) {}

  /** True for the first caller only. */
  claim(key: string, ttlMs = CALLBACK_DEDUPE_TTL_MS): Promise<boolean> {
    return this.store.setIfAbsent(`dedupe:${key}`, '1', ttlMs);
  }

  /** Gives the id back when handling failed before an answer, so WeCom's retry is handled. */
  release(key: string): Promise<void> {
    return this.store.delete(`dedupe:${key}`);
  }
}
