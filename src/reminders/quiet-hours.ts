import type { IsoDate } from '../policy/dates.js';

/** China Standard Time is UTC+8 all year (no daylight saving), so Asia/Shanghai times are a fixed offset. */
const SHANGHAI_OFFSET_MS = 8 * 3_600_000;
const DAY_MS = 86_400_000;

function minutesOf(hhmm: string): number {
  return Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
}

/** The instant a Shanghai wall-clock time `hhmm` falls on `date`: shanghaiInstant('2026-11-22', '08:30') = 2026-11-22T00:30Z. */
export function shanghaiInstant(date: IsoDate, hhmm: string): Date {
  return new Date(Date.parse(`${date}T00:00:00Z`) - SHANGHAI_OFFSET_MS + minutesOf(hhmm) * 60_000);
}

/**
 * The first instant at or after `at` outside quiet hours (Asia/Shanghai, `from`–`to`, which may span midnight):
 * `at` itself when it is not quiet, else the end of the quiet hours it falls in.
 * @example outsideQuietHours(new Date('2026-11-22T14:00:00Z'), { from: '21:00', to: '08:00' }) // 22:00 in China → 2026-11-23T00:00:00Z
 */
export function outsideQuietHours(at: Date, quiet: { from: string; to: string } | null): Date {
  if (!quiet) return at;
  const local = at.getTime() + SHANGHAI_OFFSET_MS;
  const midnight = Math.floor(local / DAY_MS) * DAY_MS;
  const minute = (local - midnight) / 60_000;
  const [from, to] = [minutesOf(quiet.from), minutesOf(quiet.to)];
  const end = (dayOffset: number) => new Date(midnight + dayOffset * DAY_MS + to * 60_000 - SHANGHAI_OFFSET_MS);
  if (from < to) return minute >= from && minute < to ? end(0) : at;
  if (minute >= from) return end(1);
  if (minute < to) return end(0);
  return at;
}
