import type { Logger } from 'pino';
import type { Vault } from '../privacy/vault.js';
import type { StateStore } from '../stores/state-store.js';
import { emptyPersonState, personStateSchema, type PersonState } from './person-state.js';

const LOCK_TTL_MS = 15_000;
const LOCK_WAIT_MS = 5_000;
const LOCK_POLL_MS = 25;

/** What loading found: the state, and whether an unreadable or outdated one had to be dropped. */
export interface Loaded {
  state: PersonState;
  dropped: boolean;
}

/**
 * Conversation state per person in the state store (Redis in production), sealed with the Vault because
 * answers in progress hold ID and phone numbers. Kept `retainMs` after the last turn, so that a person who
 * comes back after the idle expiry can still be told their conversation ended.
 */
export class ConversationStore {
  constructor(private readonly deps: { state: StateStore; vault: Vault; retainMs: number; logger: Logger }) {}

  private key(person: string): string {
    return `conv:${person}`;
  }

  async load(person: string): Promise<Loaded> {
    const raw = await this.deps.state.get(this.key(person));
    if (raw === null) return { state: emptyPersonState(), dropped: false };
    try {
      const parsed = personStateSchema.safeParse(JSON.parse(this.deps.vault.open(raw)));
      if (parsed.success) return { state: parsed.data, dropped: false };
    } catch {
      // falls through: unreadable (other key, altered) is treated like an outdated version
    }
    this.deps.logger.warn('conversation state unreadable or of another version; starting afresh');
    return { state: emptyPersonState(), dropped: true };
  }

  async save(person: string, state: PersonState): Promise<void> {
    await this.deps.state.set(this.key(person), this.deps.vault.seal(JSON.stringify(state)), this.deps.retainMs);
  }

  /**
   * Runs `fn` while holding the person's lock, so two messages from one person (two instances, a retry)
   * are handled one after the other and never overwrite each other's state.
   */
  async withLock<T>(person: string, fn: () => Promise<T>): Promise<T> {
    const { state } = this.deps;
    const lockKey = `lock:conv:${person}`;
    const token = `${process.pid}:${Math.random().toString(36).slice(2)}`;
    const deadline = Date.now() + LOCK_WAIT_MS;
    while (!(await state.setIfAbsent(lockKey, token, LOCK_TTL_MS))) {
      if (Date.now() > deadline) throw new Error('conversation lock busy');
      await new Promise((r) => setTimeout(r, LOCK_POLL_MS));
    }
    try {
      return await fn();
    } finally {
      await state.deleteIfEquals(lockKey, token);
    }
  }
}
