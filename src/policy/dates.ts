/**
 * Calendar dates as plain 'YYYY-MM-DD' strings, always meaning the date in Asia/Shanghai.
 * Strings compare correctly with `<` and `===`, and carry no time of day or time zone to go wrong.
 */
export type IsoDate = string;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;
/** China Standard Time has been UTC+8 all year round since 1992 (no daylight saving), so a fixed offset is exact. */
const SHANGHAI_OFFSET_MS = 8 * 3_600_000;

/** True for a real date written 'YYYY-MM-DD' (rejects '2026-02-30'). */
export function isIsoDate(value: string): boolean {
  const m = ISO_DATE.exec(value);
  if (!m) return false;
  return fromUtcMs(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) === value;
}

function toUtcMs(date: IsoDate): number {
  if (!isIsoDate(date)) throw new RangeError(`not a date written YYYY-MM-DD: "${date}"`);
  return Date.parse(`${date}T00:00:00Z`);
}

function fromUtcMs(ms: number): IsoDate {
  return new Date(ms).toISOString().slice(0, 10);
}

/** The Shanghai calendar date of an instant: 2026-02-14T16:30Z is already '2026-02-15' in China. */
export function shanghaiDate(instant: Date | number): IsoDate {
  const ms = typeof instant === 'number' ? instant : instant.getTime();
  if (!Number.isFinite(ms)) throw new RangeError('shanghaiDate: invalid instant');
  return fromUtcMs(ms + SHANGHAI_OFFSET_MS);
}

/** Day of the week: 0 = Sunday … 6 = Saturday. */
export function weekday(date: IsoDate): number {
  return new Date(toUtcMs(date)).getUTCDay();
}

/** The calendar year of a date. */
export function yearOf(date: IsoDate): number {
  toUtcMs(date);
  return Number(date.slice(0, 4));
}

/** `date` moved by `n` natural (calendar) days; n may be negative. */
export function addNaturalDays(date: IsoDate, n: number): IsoDate {
  if (!Number.isInteger(n)) throw new RangeError(`day count must be an integer, got ${n}`);
  return fromUtcMs(toUtcMs(date) + n * DAY_MS);
}

/** Natural days from `from` to `to` (negative when `to` is earlier). */
export function naturalDaysBetween(from: IsoDate, to: IsoDate): number {
  return Math.round((toUtcMs(to) - toUtcMs(from)) / DAY_MS);
}

/**
 * `date` moved by `n` months to the same day of the month; when that month is shorter, its last day
 * (2026-01-31 + 1 month = 2026-02-28), as 民法典 第二百零二条 counts periods in months.
 */
export function addMonths(date: IsoDate, n: number): IsoDate {
  if (!Number.isInteger(n)) throw new RangeError(`month count must be an integer, got ${n}`);
  const d = new Date(toUtcMs(date));
  const first = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + n, 1);
  const monthEnd = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + n + 1, 0)).getUTCDate();
  return fromUtcMs(first + (Math.min(d.getUTCDate(), monthEnd) - 1) * DAY_MS);
}
