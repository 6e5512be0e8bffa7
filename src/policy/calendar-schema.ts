import { z } from 'zod';
import { addNaturalDays, isIsoDate, naturalDaysBetween, weekday, yearOf } from './dates.js';

/** A date field written 'YYYY-MM-DD' (quote it in YAML). */
export const isoDateSchema = z.string().refine(isIsoDate, 'must be a date written "YYYY-MM-DD"');
const festival = z.string().trim().min(1).max(20);

/**
 * One year's official holiday arrangement (国务院办公厅《关于YYYY年部分节假日安排的通知》),
 * one file per year: config/calendar/cn-YYYY.yaml.
 */
export const calendarYearSchema = z
  .object({
    year: z.number().int().min(2000).max(2100),
    /** The notice the data was copied from. */
    source: z.object({ title: z.string().min(1), issued: isoDateSchema, number: z.string().min(1).optional() }).strict(),
    /** Days off, as in the notice: from … to (inclusive), including weekdays moved by 调休; `days` = the notice's "共N天". */
    holidays: z
      .array(z.object({ festival, from: isoDateSchema, to: isoDateSchema, days: z.number().int().min(1).max(15) }).strict())
      .min(1),
    /** 调休 weekend days that are working days ("X月X日（周六）上班"). */
    makeupWorkdays: z.array(z.object({ festival, date: isoDateSchema }).strict()),
  })
  .strict()
  .superRefine((data, ctx) => {
    // A notice may move days in the December before its year (e.g. 元旦 from 12-30), never later ones.
    const inRange = (d: string): boolean => d >= `${data.year - 1}-12-01` && yearOf(d) <= data.year;
    const off = new Set<string>();
    data.holidays.forEach((h, i) => {
      const span = naturalDaysBetween(h.from, h.to) + 1;
      if (span < 1) ctx.addIssue({ code: 'custom', path: ['holidays', i, 'to'], message: `ends before it starts (${h.from})` });
      else if (span !== h.days) ctx.addIssue({ code: 'custom', path: ['holidays', i, 'days'], message: `${h.from}…${h.to} is ${span} days, not ${h.days}` });
      for (const [key, d] of [['from', h.from], ['to', h.to]] as const) {
        if (!inRange(d)) ctx.addIssue({ code: 'custom', path: ['holidays', i, key], message: `${d} is outside ${data.year}` });
      }
      for (let d = h.from; d <= h.to && span <= 15; d = addNaturalDays(d, 1)) {
        if (off.has(d)) ctx.addIssue({ code: 'custom', path: ['holidays', i], message: `${d} is listed twice` });
        off.add(d);
      }
    });
    data.makeupWorkdays.forEach((m, i) => {
      const path = ['makeupWorkdays', i, 'date'];
      if (!inRange(m.date)) ctx.addIssue({ code: 'custom', path, message: `${m.date} is outside ${data.year}` });
      const wd = weekday(m.date);
      if (wd !== 0 && wd !== 6) ctx.addIssue({ code: 'custom', path, message: `${m.date} is a weekday; make-up working days fall on Saturday or Sunday` });
      if (off.has(m.date)) ctx.addIssue({ code: 'custom', path, message: `${m.date} is also listed as a holiday` });
    });
  });

/** A checked year of holiday data. */
export type CalendarYear = z.infer<typeof calendarYearSchema>;
