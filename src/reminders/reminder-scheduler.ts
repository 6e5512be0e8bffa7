/**
 * When the reminder tick runs: a cron pattern (minute hour day month weekday, or with seconds first, as BullMQ
 * reads it) in a time zone.
 * @example { "pattern": "30 * * * *", "timeZone": "Asia/Shanghai" }
 */
export interface ReminderSchedule {
  pattern: string;
  timeZone: string;
}

/**
 * Runs the reminder tick on a schedule. With Redis it is a BullMQ job scheduler shared by every instance (each
 * run happens in one of them); without Redis an in-process timer for the one local instance. Either way the
 * tick itself is idempotent (the day's digests have fixed outbox ids), so a run repeated or caught up sends
 * nothing twice.
 */
export interface ReminderScheduler {
  /** Starts running `tick` at each time of the schedule (once per instance; again is a no-op). */
  start(tick: () => Promise<void>): Promise<void>;
  /** The next run after now, as the scheduler holds it. */
  next(): Promise<Date | undefined>;
  close(): Promise<void>;
}

/** The hourly tick at the digest's minute: the first one at or after the digest time plans the day, later ones catch up. */
export function hourlyAt(digestAt: string): ReminderSchedule {
  return { pattern: `${Number(digestAt.slice(3, 5))} * * * *`, timeZone: 'Asia/Shanghai' };
}
