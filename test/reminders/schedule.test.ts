import { describe, expect, it } from 'vitest';
import { addNaturalDays, loadWorkCalendar, type IsoDate } from '../../src/policy/index.js';
import { outsideQuietHours, shanghaiInstant } from '../../src/reminders/quiet-hours.js';
import { timingOn } from '../../src/reminders/schedule.js';

const calendar = loadWorkCalendar();
const DEFAULT_DAYS = [3, 1, 0];

/** The days from `from` to `to` on which an item due `dueOn` in `unit` is reminded, with where it stands. */
function reminderDays(dueOn: IsoDate, unit: 'natural' | 'working', from: IsoDate, to: IsoDate): string[] {
  const out: string[] = [];
  for (let day = from; day <= to; day = addNaturalDays(day, 1)) {
    const timing = timingOn({ dueOn, unit }, day, DEFAULT_DAYS, calendar);
    if (timing) out.push(`${day} ${timing.kind === 'overdue' ? '+' : '-'}${timing.days}`);
  }
  return out;
}

describe('reminder days', () => {
  it('in natural days: 3 days before, 1 day before, on the day, then daily while overdue, holidays or not', () => {
    // Due Friday 9 October 2026, just after the National Day holiday (1–7 October).
    expect(reminderDays('2026-10-09', 'natural', '2026-10-01', '2026-10-12')).toEqual([
      '2026-10-06 -3',
      '2026-10-08 -1',
      '2026-10-09 -0',
      '2026-10-10 +1',
      '2026-10-11 +2',
      '2026-10-12 +3',
    ]);
  });

  it('in working days: counted over the National Day holiday and its 调休 Saturday, never on a day off', () => {
    // 3 working days before Friday 9 October are Thursday 8, then (1–7 October off) Wednesday 30 and Tuesday 29 September.
    // Overdue on Saturday 10 October, a make-up working day; not on Sunday 11; again on Monday 12.
    expect(reminderDays('2026-10-09', 'working', '2026-09-25', '2026-10-13')).toEqual([
      '2026-09-29 -3',
      '2026-10-08 -1',
      '2026-10-09 -0',
      '2026-10-10 +1',
      '2026-10-12 +2',
      '2026-10-13 +3',
    ]);
  });

  it('in working days: the Sunday make-up day before National Day counts as a working day', () => {
    // Due Tuesday 22 September; Sunday 20 September is worked (调休), so 3 working days before is Friday 18, not Thursday 17.
    expect(reminderDays('2026-09-22', 'working', '2026-09-15', '2026-09-22')).toEqual(['2026-09-18 -3', '2026-09-21 -1', '2026-09-22 -0']);
  });

  it('follows the configured days before', () => {
    const days = (d: number[]) => ['2026-11-20', '2026-11-25', '2026-11-29', '2026-11-30'].filter((day) => timingOn({ dueOn: '2026-11-30', unit: 'natural' }, day, d, calendar));
    expect(days([10, 5])).toEqual(['2026-11-20', '2026-11-25']);
    expect(days([1])).toEqual(['2026-11-29']);
  });
});

describe('quiet hours (Asia/Shanghai)', () => {
  const quiet = { from: '21:00', to: '08:00' };
  it('defer what falls in them to their end, across midnight, and leave the rest', () => {
    expect(outsideQuietHours(new Date('2026-11-22T22:30:00+08:00'), quiet).toISOString()).toBe('2026-11-23T00:00:00.000Z');
    expect(outsideQuietHours(new Date('2026-11-23T06:15:00+08:00'), quiet).toISOString()).toBe('2026-11-23T00:00:00.000Z');
    expect(outsideQuietHours(new Date('2026-11-23T08:00:00+08:00'), quiet).toISOString()).toBe('2026-11-23T00:00:00.000Z');
    expect(outsideQuietHours(new Date('2026-11-23T20:59:00+08:00'), quiet).toISOString()).toBe('2026-11-23T12:59:00.000Z');
    expect(outsideQuietHours(new Date('2026-11-23T12:30:00+08:00'), { from: '12:00', to: '14:00' }).toISOString()).toBe('2026-11-23T06:00:00.000Z');
    expect(outsideQuietHours(new Date('2026-11-23T22:30:00+08:00'), null).toISOString()).toBe('2026-11-23T14:30:00.000Z');
  });

  it('a Shanghai wall-clock time is the right instant', () => {
    expect(shanghaiInstant('2026-11-22', '08:30').toISOString()).toBe('2026-11-22T00:30:00.000Z');
  });
});
