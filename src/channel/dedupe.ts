import type { StateStore } from '../stores/state-store.js';

/** WeCom retries a callback up to three times within seconds; ten minutes covers them comfortably. */
export const CALLBACK_DEDUPE_TTL_MS = 10 * 60_000;
/** A 微信客服 cursor replay can reach three days back. */
export const KF_DEDUPE_TTL_MS = 3 * 24 * 3600_000;

/** Marks on inbound ids, shared by every instance through the state store. */
export class Deduplicator {
  constructor(
    private readonly store: StateStore,
    private readonly ttlMs = CALLBACK_DEDUPE_TTL_MS,
  ) {}

  /** Marks the id handled; true for the first caller only. */
  claim(key: string, ttlMs = this.ttlMs): Promise<boolean> {
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
