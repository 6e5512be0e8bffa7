/**
 * How deadlines are reminded (config REMINDER_*). Times are Asia/Shanghai, as every date in the service is.
 * @example { "enabled": true, "daysBefore": [3, 1, 0], "escalateAfterDays": [2, 5, 10], "digestAt": "08:30",
 *   "quietHours": { "from": "21:00", "to": "08:00" } }
 */
export interface ReminderSettings {
  /** Whether the daily digest goes out by itself (the scheduler runs); the preview and the card buttons work either way. */
  enabled: boolean;
  /** Days before a deadline, in its unit, on which its owners are reminded (0 = on the day), largest first; then daily while overdue. */
  daysBefore: number[];
  /** Days overdue (in the deadline's unit) at which it climbs each further rung of the area tree, smallest first. */
  escalateAfterDays: number[];
  /** The daily digest's time of day, HH:MM. */
  digestAt: string;
  /** No reminder goes out from `from` to `to` (HH:MM, may span midnight): it waits for `to`. null: none. */
  quietHours: { from: string; to: string } | null;
}

/** The defaults the configuration starts from (README "Reminders"). */
export const DEFAULT_REMINDER_SETTINGS: ReminderSettings = {
  enabled: true,
  daysBefore: [3, 1, 0],
  escalateAfterDays: [2, 5, 10],
  digestAt: '08:30',
  quietHours: { from: '21:00', to: '08:00' },
};
