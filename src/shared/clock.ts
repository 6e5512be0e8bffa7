/** The clock is injected everywhere so tests and reminders can control time. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock that only moves when told to (tests, simulations). */
export class ManualClock implements Clock {
  private current: number;
  constructor(start: Date | string) {
    this.current = new Date(start).getTime();
  }
  now(): Date {
    return new Date(this.current);
  }
  advance(ms: number): void {
    this.current += ms;
  }
  set(at: Date | string): void {
    this.current = new Date(at).getTime();
  }
}

/** One day in ms (a simulated day is a plain 24 hours: China has no daylight saving). */
export const DAY_MS = 86_400_000;

/**
 * Real time plus an offset that only grows: local mode's simulated date, moved forward by the simulator's
 * 快进 so a newcomer can walk a case past a 5-day public notice. Everything in the process that reads time
 * shares one, so callback timestamps, deadlines, the 微信客服 window and the WeCom stand-in all agree.
 * WeCom mode never builds one: real time cannot be moved there.
 * @example const clock = new AdjustableClock(); clock.advance(6 * DAY_MS); clock.now() // six days from now
 */
export class AdjustableClock implements Clock {
  private readonly listeners = new Set<() => void>();

  constructor(
    private offset = 0,
    private readonly real: () => number = Date.now,
  ) {}

  now(): Date {
    return new Date(this.real() + this.offset);
  }

  /** How far ahead of real time this clock runs, in ms. */
  get offsetMs(): number {
    return this.offset;
  }

  /** Moves time forward by `ms` (> 0) and tells every listener (timers set for a clock time run when it has come). */
  advance(ms: number): void {
    if (!Number.isFinite(ms) || ms <= 0) throw new RangeError(`time only moves forward: ${ms} ms`);
    this.offset += ms;
    for (const listener of this.listeners) listener();
  }

  /** Calls `listener` after each advance. Returns a function that stops it. */
  onAdvance(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
