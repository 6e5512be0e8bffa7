import type { CalendarYear } from './calendar-schema.js';
import { addMonths, addNaturalDays, type IsoDate, weekday, yearOf } from './dates.js';

/** How a limit is counted: natural (calendar) days or working days of the official calendar. */
export type DayUnit = 'natural' | 'working';
/** A limit's unit: days of either kind, or calendar months. */
export type LimitUnit = DayUnit | 'month';
/** What a deadline does when it falls on a day off: stay, or move to the next working day (民法典 第二百零三条). */
export type NonWorkingDayRule = 'keep' | 'nextWorkingDay';

/** What kind of day a date is in the official calendar. */
export interface DayInfo {
  date: IsoDate;
  working: boolean;
  kind: 'workday' | 'weekend' | 'holiday' | 'makeupWorkday';
  /** The festival for holidays and make-up working days. */
  festival?: string;
}

/** Working-day arithmetic was asked about a year the calendar has no data for. */
export class CalendarYearMissingError extends Error {
  readonly code = 'CALENDAR.YEAR_MISSING';
  constructor(readonly year: number, covered: readonly number[]) {
    super(
      `working-day calendar has no data for ${year} (covered: ${covered.join(', ') || 'none'}); ` +
        `add config/calendar/cn-${year}.yaml from the State Council holiday notice for ${year}`,
    );
  }
}

/**
 * The official working-day calendar of mainland China, built from checked year data.
 * Dates are 'YYYY-MM-DD' in Asia/Shanghai (see `shanghaiDate`). Anything that needs to know whether a
 * day is a working day throws `CalendarYearMissingError` for a year without data: a missing year is
 * never treated as plain weekdays. Natural-day counting works for any date. Caveat: a year's notice may
 * move days in the December before it (e.g. 元旦 from 12-30); late-December dates are final only once the
 * next year's file is added.
 *
 * Periods follow 民法典 第二百零一条: the start day is not counted; a period of N units runs from the
 * day after `start`, and `deadline` is its last day, inclusive (on time = done on or before it).
 */
export class WorkCalendar {
  private readonly years = new Set<number>();
  private readonly holidays = new Map<IsoDate, string>();
  private readonly makeup = new Map<IsoDate, string>();

  constructor(data: readonly CalendarYear[]) {
    for (const y of data) {
      if (this.years.has(y.year)) throw new Error(`calendar year ${y.year} given twice`);
      this.years.add(y.year);
      for (const h of y.holidays) {
        for (let d = h.from; d <= h.to; d = addNaturalDays(d, 1)) this.put(this.holidays, this.makeup, d, h.festival);
      }
      for (const m of y.makeupWorkdays) this.put(this.makeup, this.holidays, m.date, m.festival);
    }
  }

  private put(into: Map<IsoDate, string>, other: Map<IsoDate, string>, date: IsoDate, festival: string): void {
    if (other.has(date)) throw new Error(`calendar: ${date} is both a holiday and a make-up working day`);
    into.set(date, festival);
  }

  /** Years with data, ascending. */
  get coveredYears(): number[] {
    return [...this.years].sort((a, b) => a - b);
  }

  /** True when the date's year has data. */
  covers(date: IsoDate): boolean {
    return this.years.has(yearOf(date));
  }

  /** What kind of day `date` is; throws for a year without data. */
  dayInfo(date: IsoDate): DayInfo {
    const year = yearOf(date);
    if (!this.years.has(year)) throw new CalendarYearMissingError(year, this.coveredYears);
    const makeup = this.makeup.get(date);
    if (makeup !== undefined) return { date, working: true, kind: 'makeupWorkday', festival: makeup };
    const holiday = this.holidays.get(date);
    if (holiday !== undefined) return { date, working: false, kind: 'holiday', festival: holiday };
    const wd = weekday(date);
    return wd === 0 || wd === 6 ? { date, working: false, kind: 'weekend' } : { date, working: true, kind: 'workday' };
  }

  /** Monday–Friday that is not a holiday, or a 调休 make-up working day. */
  isWorkingDay(date: IsoDate): boolean {
    return this.dayInfo(date).working;
  }

  /**
   * `start` moved by `n` days. Natural: plain calendar days (holidays ignored). Working: the n-th
   * working day after `start` (before it when n < 0), `start` itself not counted, so the result is always
   * a working day when n ≠ 0; n = 0 returns `start`.
   */
  addDays(start: IsoDate, n: number, unit: DayUnit): IsoDate {
    if (!Number.isInteger(n)) throw new RangeError(`day count must be an integer, got ${n}`);
    if (unit === 'natural') return addNaturalDays(start, n);
    this.dayInfo(start);
    const step = Math.sign(n);
    let date = start;
    for (let left = Math.abs(n); left > 0; ) {
      date = addNaturalDays(date, step);
      if (this.isWorkingDay(date)) left--;
    }
    return date;
  }

  /** The first working day strictly after `date`. */
  nextWorkingDay(date: IsoDate): IsoDate {
    return this.addDays(date, 1, 'working');
  }

  /**
   * Last day of a period of `n` units counted from the day after `start` ("within N working days").
   * natural: start + n; working: the n-th working day after start; month: same day n months later
   * (month end when shorter). With `nextWorkingDay`, a last day that is a day off moves to the next
   * working day (only matters for natural days and months).
   */
  deadline(start: IsoDate, n: number, unit: LimitUnit, onNonWorkingDay: NonWorkingDayRule = 'keep'): IsoDate {
    if (!Number.isInteger(n) || n < 0) throw new RangeError(`a period must be a whole number ≥ 0, got ${n}`);
    const end = unit === 'month' ? addMonths(start, n) : this.addDays(start, n, unit);
    return onNonWorkingDay === 'nextWorkingDay' && !this.isWorkingDay(end) ? this.nextWorkingDay(end) : end;
  }

  /** Working days d with from < d ≤ to (negative, counted the other way, when `to` is earlier). */
  countWorkingDays(from: IsoDate, to: IsoDate): number {
    if (to < from) return -this.countWorkingDays(to, from);
    this.dayInfo(from);
    let count = 0;
    for (let d = addNaturalDays(from, 1); d <= to; d = addNaturalDays(d, 1)) if (this.isWorkingDay(d)) count++;
    return count;
  }
}
