import { describe, expect, it } from 'vitest';
import { CalendarYearMissingError } from '../../src/policy/calendar.js';
import { loadWorkCalendar } from '../../src/policy/calendar-loader.js';
import { addMonths, shanghaiDate, weekday } from '../../src/policy/dates.js';

const cal = loadWorkCalendar();

describe('shipped calendar data', () => {
  it('covers 2025 and 2026 and nothing else', () => {
    expect(cal.coveredYears).toEqual([2025, 2026]);
  });

  it('has the 2026 Spring Festival off (2-15 … 2-23) with make-up Saturdays 2-14 and 2-28', () => {
    for (let d = 15; d <= 23; d++) expect(cal.isWorkingDay(`2026-02-${d}`)).toBe(false);
    expect(cal.dayInfo('2026-02-16')).toMatchObject({ kind: 'holiday', festival: '春节' });
    expect(cal.dayInfo('2026-02-14')).toMatchObject({ kind: 'makeupWorkday', working: true, festival: '春节' });
    expect(weekday('2026-02-28')).toBe(6);
    expect(cal.isWorkingDay('2026-02-28')).toBe(true);
    expect(cal.isWorkingDay('2026-02-24')).toBe(true);
  });

  it('has 中秋 (9-25 … 9-27) and National Day (10-1 … 10-7) 2026 with make-up days 9-20 (Sun) and 10-10 (Sat)', () => {
    for (const d of ['2026-09-25', '2026-09-26', '2026-09-27']) expect(cal.dayInfo(d).festival).toBe('中秋节');
    for (let d = 1; d <= 7; d++) expect(cal.isWorkingDay(`2026-10-0${d}`)).toBe(false);
    expect(cal.dayInfo('2026-09-20')).toMatchObject({ kind: 'makeupWorkday', festival: '国庆节' });
    expect(cal.isWorkingDay('2026-10-10')).toBe(true);
    expect(cal.isWorkingDay('2026-10-08')).toBe(true);
  });

  it('treats ordinary weekends as days off and ordinary weekdays as working days', () => {
    expect(cal.dayInfo('2026-03-07')).toEqual({ date: '2026-03-07', working: false, kind: 'weekend' });
    expect(cal.dayInfo('2026-03-09')).toEqual({ date: '2026-03-09', working: true, kind: 'workday' });
  });

  it('counts 33 holiday days and 6 make-up working days in 2026, 5 make-up days in 2025', () => {
    const kinds = (year: number): Record<string, number> => {
      const out: Record<string, number> = {};
      for (let d = `${year}-01-01`; d <= `${year}-12-31`; d = cal.addDays(d, 1, 'natural')) {
        const k = cal.dayInfo(d).kind;
        out[k] = (out[k] ?? 0) + 1;
      }
      return out;
    };
    expect(kinds(2026)).toMatchObject({ holiday: 33, makeupWorkday: 6 });
    expect(kinds(2025)).toMatchObject({ holiday: 28, makeupWorkday: 5 });
  });
});

describe('working-day arithmetic', () => {
  it('lands after the Spring Festival when counting from just before it, counting make-up Saturdays', () => {
    expect(cal.addDays('2026-02-12', 1, 'working')).toBe('2026-02-13');
    expect(cal.addDays('2026-02-12', 2, 'working')).toBe('2026-02-14'); // make-up Saturday
    expect(cal.addDays('2026-02-12', 3, 'working')).toBe('2026-02-24'); // first day after the holiday
    expect(cal.deadline('2026-02-12', 15, 'working')).toBe('2026-03-11');
    expect(cal.countWorkingDays('2026-02-12', '2026-03-11')).toBe(15);
  });

  it('counts natural days straight through the holiday', () => {
    expect(cal.deadline('2026-02-12', 15, 'natural')).toBe('2026-02-27');
    expect(cal.deadline('2026-02-13', 5, 'natural')).toBe('2026-02-18');
    expect(cal.deadline('2026-02-13', 5, 'natural', 'nextWorkingDay')).toBe('2026-02-24');
  });

  it('crosses 中秋 and National Day 2026 with their make-up days', () => {
    expect(cal.addDays('2026-09-18', 1, 'working')).toBe('2026-09-20'); // make-up Sunday
    expect(cal.addDays('2026-09-24', 1, 'working')).toBe('2026-09-28');
    expect(cal.addDays('2026-09-30', 3, 'working')).toBe('2026-10-10'); // 10-08, 10-09, make-up 10-10
    expect(cal.deadline('2026-09-24', 10, 'working')).toBe('2026-10-15');
    expect(cal.deadline('2026-09-30', 5, 'natural')).toBe('2026-10-05');
  });

  it('goes backwards with a negative count, skipping the holiday', () => {
    expect(cal.addDays('2026-02-24', -1, 'working')).toBe('2026-02-14');
    expect(cal.countWorkingDays('2026-03-11', '2026-02-12')).toBe(-15);
  });

  it('crosses the year boundary into 元旦 2026 and its make-up Sunday', () => {
    expect(cal.addDays('2025-12-30', 1, 'working')).toBe('2025-12-31');
    expect(cal.addDays('2025-12-30', 2, 'working')).toBe('2026-01-04');
    expect(cal.addDays('2025-12-30', 3, 'working')).toBe('2026-01-05');
    expect(cal.addDays('2025-12-30', 3, 'natural')).toBe('2026-01-02');
  });

  it('counts months to the same day, or the month end when shorter', () => {
    expect(cal.deadline('2026-01-31', 1, 'month')).toBe('2026-02-28');
    expect(cal.deadline('2026-03-15', 1, 'month')).toBe('2026-04-15');
    expect(addMonths('2025-12-31', 2)).toBe('2026-02-28');
    expect(cal.deadline('2026-01-15', 1, 'month', 'nextWorkingDay')).toBe('2026-02-24'); // 2-15 is 春节
  });

  it('refuses non-integer and negative periods', () => {
    expect(() => cal.addDays('2026-03-02', 1.5, 'working')).toThrow(RangeError);
    expect(() => cal.deadline('2026-03-02', -1, 'natural')).toThrow(RangeError);
    expect(() => cal.isWorkingDay('2026-02-30')).toThrow(/YYYY-MM-DD/);
  });
});

describe('years without data', () => {
  it('throws an error naming the missing year, never guessing a plain weekday', () => {
    expect(() => cal.isWorkingDay('2027-01-04')).toThrow(CalendarYearMissingError);
    expect(() => cal.isWorkingDay('2027-01-04')).toThrow(/no data for 2027.*cn-2027\.yaml/);
    expect(() => cal.addDays('2026-12-28', 5, 'working')).toThrow(/2027/);
    expect(() => cal.addDays('2024-12-31', 1, 'working')).toThrow(/2024/);
    expect(() => cal.deadline('2026-12-20', 1, 'month', 'nextWorkingDay')).toThrow(/2027/);
  });

  it('still counts natural days there', () => {
    expect(cal.covers('2027-03-01')).toBe(false);
    expect(cal.addDays('2027-03-01', 5, 'natural')).toBe('2027-03-06');
    expect(cal.deadline('2027-03-01', 15, 'natural')).toBe('2027-03-16');
  });
});

describe('shanghaiDate', () => {
  it('gives the date in China for an instant', () => {
    expect(shanghaiDate(new Date('2026-02-14T15:59:59Z'))).toBe('2026-02-14');
    expect(shanghaiDate(new Date('2026-02-14T16:00:00Z'))).toBe('2026-02-15');
    expect(shanghaiDate(Date.parse('2025-12-31T16:30:00Z'))).toBe('2026-01-01');
    expect(() => shanghaiDate(new Date('nope'))).toThrow(RangeError);
  });
});
