import type { Logger } from 'pino';
import type { Locale } from '../i18n/i18n.js';
import type { Vault } from '../privacy/vault.js';
import { withLease } from '../shared/lease.js';
import type { Collection, Doc, DocumentStore } from '../stores/document-store.js';
import type { StateStore } from '../stores/state-store.js';
import { emptyPersonState, inAnyFlow, personStateSchema, type PersonState } from './person-state.js';

/** The person lock lives this long unless its holder renews it: a holder that died frees it within this time. */
const LOCK_TTL_MS = 6_000;
const LOCK_WAIT_MS = 5_000;

/**
 * What loading found: the state; whether an unreadable or outdated one had to be dropped; and, when the
 * state store had nothing although this person was mid-flow (Redis lost its data), which flow was lost.
 */
export interface Loaded {
  state: PersonState;
  dropped: boolean;
  lost?: { flowIds: string[]; at: string };
}

/** A durable note (document store) that a person is in the middle of a flow, kept while a flow is open. */
interface FlowMark extends Doc {
  flowIds: string[];
  at: string;
  /** The language the person had chosen, so the loss is said in it. */
  locale?: Locale;
}

/**
 * Conversation state per person in the state store (Redis in production), sealed with the Vault because
 * answers in progress hold ID and phone numbers. Kept `retainMs` after the last turn, so that a person who
 * comes back after the idle expiry can still be told their conversation ended. A small durable mark in the
 * document store says who is mid-flow, so answers lost with the state store are noticed and said so.
 */
export class ConversationStore {
  private readonly marks: Collection<FlowMark>;

  constructor(private readonly deps: { state: StateStore; docs: DocumentStore; vault: Vault; retainMs: number; logger: Logger }) {
    this.marks = deps.docs.collection<FlowMark>('conversationMarks');
  }

  private key(person: string): string {
    return `conv:${person}`;
  }

  async load(person: string): Promise<Loaded> {
    const raw = await this.deps.state.get(this.key(person));
    if (raw === null) {
      const mark = await this.marks.get(person);
      if (!mark) return { state: emptyPersonState(), dropped: false };
      this.deps.logger.warn({ flows: mark.flowIds }, 'conversation state missing although a flow was open; the person is told');
      const state = emptyPersonState();
      if (mark.locale) state.locale = mark.locale;
      return { state, dropped: false, lost: { flowIds: mark.flowIds, at: mark.at } };
    }
    try {
      const parsed = personStateSchema.safeParse(JSON.parse(this.deps.vault.open(raw)));
      if (parsed.success) return { state: parsed.data, dropped: false };
    } catch {
      // falls through: unreadable (other key, altered) is treated like an outdated version
    }
    this.deps.logger.warn('conversation state unreadable or of another version; starting afresh');
    return { state: emptyPersonState(), dropped: true };
  }

  /** Saves the state, and keeps the durable mark in step: written when a first flow opens, removed when the last ends. */
  async save(person: string, state: PersonState, now: Date): Promise<void> {
    const open = Object.entries(state.slots).filter(([, slot]) => 'flowId' in slot).map(([, slot]) => (slot as { flowId: string }).flowId);
    if (inAnyFlow(state) && !state.markedAt) {
      await this.marks.put({ _id: person, flowIds: open, at: now.toISOString(), ...(state.locale ? { locale: state.locale } : {}) });
      state.markedAt = now.toISOString();
    } else if (!inAnyFlow(state) && state.markedAt) {
      await this.marks.delete(person);
      delete state.markedAt;
    }
    await this.deps.state.set(this.key(person), this.deps.vault.seal(JSON.stringify(state)), this.deps.retainMs);
  }

  /** Forgets the durable mark once the person was told their answers were lost. */
  async forgetMark(person: string): Promise<void> {
    await this.marks.delete(person);
  }

  /**
   * Runs `fn` while holding the person's lock, so two messages from one person (two instances, a retry)
   * are handled one after the other and never overwrite each other's state. The lock is a lease: it is
   * renewed while `fn` runs and runs out within seconds if this process dies.
   */
  async withLock<T>(person: string, fn: () => Promise<T>): Promise<T> {
    return withLease(this.deps.state, `lock:conv:${person}`, { ttlMs: LOCK_TTL_MS, waitMs: LOCK_WAIT_MS }, fn);
  }
}
