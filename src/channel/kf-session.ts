import type { StateStore } from '../stores/state-store.js';

/** 微信客服 lets the bot answer within 48 hours of the customer's last message, at most 5 messages. */
export const KF_WINDOW_MS = 48 * 3600_000;
export const KF_WINDOW_MESSAGES = 5;

export interface ReplyWindowStatus {
  open: boolean;
  remaining: number;
  closesAt?: Date;
}

/**
 * Per-customer facts about a 微信客服 session: the reply window, and who holds the session
 * (the bot, or a human servicer — then the bot stays quiet).
 */
export class KfSessions {
  constructor(
    private readonly store: StateStore,
    private readonly now: () => number,
  ) {}

  private key(kind: string, openKfId: string, externalUserId: string): string {
    return `kf:${kind}:${openKfId}:${externalUserId}`;
  }

  /** The customer wrote at `at`: the window (re)opens with a fresh allowance. */
  async customerWrote(openKfId: string, externalUserId: string, at: Date): Promise<void> {
    const left = at.getTime() + KF_WINDOW_MS - this.now();
    if (left <= 0) return;
    await this.store.delete(this.key('sent', openKfId, externalUserId));
    await this.store.set(this.key('window', openKfId, externalUserId), String(at.getTime()), left);
  }

  /** Takes one message from the allowance; false when the window is closed or used up. */
  async tryConsume(openKfId: string, externalUserId: string): Promise<boolean> {
    const opened = await this.store.get(this.key('window', openKfId, externalUserId));
    if (opened === null) return false;
    const left = Number(opened) + KF_WINDOW_MS - this.now();
    if (left <= 0) return false;
    return (await this.store.increment(this.key('sent', openKfId, externalUserId), left)) <= KF_WINDOW_MESSAGES;
  }

  async window(openKfId: string, externalUserId: string): Promise<ReplyWindowStatus> {
    const opened = await this.store.get(this.key('window', openKfId, externalUserId));
    if (opened === null) return { open: false, remaining: 0 };
    const closesAt = Number(opened) + KF_WINDOW_MS;
    const sent = Number((await this.store.get(this.key('sent', openKfId, externalUserId))) ?? '0');
    const remaining = closesAt > this.now() ? Math.max(0, KF_WINDOW_MESSAGES - sent) : 0;
    return { open: remaining > 0, remaining, closesAt: new Date(closesAt) };
  }

  /**
   * Whether the bot may send `count` messages to the customer now: the window is open with that many left
   * and no human servicer holds the session. Read only: sending still takes from the allowance (tryConsume).
   */
  async reachable(openKfId: string, externalUserId: string, count = 1): Promise<boolean> {
    if (await this.isHuman(openKfId, externalUserId)) return false;
    const window = await this.window(openKfId, externalUserId);
    return window.open && window.remaining >= count;
  }

  async setHuman(openKfId: string, externalUserId: string, servicerUserId: string): Promise<void> {
    await this.store.set(this.key('human', openKfId, externalUserId), servicerUserId, KF_WINDOW_MS);
    await this.store.delete(this.key('bot', openKfId, externalUserId));
  }

  async isHuman(openKfId: string, externalUserId: string): Promise<boolean> {
    return (await this.store.get(this.key('human', openKfId, externalUserId))) !== null;
  }

  async setBot(openKfId: string, externalUserId: string): Promise<void> {
    await this.store.set(this.key('bot', openKfId, externalUserId), '1', KF_WINDOW_MS);
  }

  async isBot(openKfId: string, externalUserId: string): Promise<boolean> {
    return (await this.store.get(this.key('bot', openKfId, externalUserId))) !== null;
  }

  /** The session ended: neither side holds it any more. */
  async ended(openKfId: string, externalUserId: string): Promise<void> {
    await this.store.delete(this.key('human', openKfId, externalUserId));
    await this.store.delete(this.key('bot', openKfId, externalUserId));
  }
}
