import type { StateStore } from '../stores/state-store.js';

/** What one more message from a sender means: go on, or over the limit (the first time it is said so). */
export type RateVerdict = 'ok' | 'firstOver' | 'over';

const WINDOW_MS = 60_000;

/**
 * Messages per sender per minute, counted in the state store (shared by every instance). A sender over the
 * limit is told once to slow down; their further messages that minute are not handled, so one flooding
 * sender costs a counter increment per message and never holds up anyone else.
 */
export class SenderRateLimit {
  constructor(
    private readonly store: StateStore,
    private readonly perMinute: number,
    private readonly now: () => number,
  ) {}

  async hit(sender: string): Promise<RateVerdict> {
    const window = Math.floor(this.now() / WINDOW_MS);
    const count = await this.store.increment(`rate:sender:${sender}:${window}`, 2 * WINDOW_MS);
    if (count <= this.perMinute) return 'ok';
    return count === this.perMinute + 1 ? 'firstOver' : 'over';
  }

  /** An id for the one "please slow down" notice of this sender's window. */
  noticeId(sender: string): string {
    return `slowdown:${sender}:${Math.floor(this.now() / WINDOW_MS)}`;
  }
}
