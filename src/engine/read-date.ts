import * as chrono from 'chrono-node';
import { addNaturalDays, isIsoDate, naturalDaysBetween, type IsoDate } from '../policy/dates.js';
import { normaliseWord, toHalfWidth } from './normalise.js';
import { parseInteger } from './step-types/common.js';

/**
 * Reading a calendar date as people type it in chat: "今天", "昨天", "前天", "3号", "12月3日", "12.3", "十二月三日",
 * "2026-12-03", "2026年12月3日", "上周三", full-width digits. Always relative to `today` (the Asia/Shanghai date
 * of the turn's `now`): no clock is read, so the same text on the same day gives the same date.
 */

/** Which date a partial one ("3号", "12月3日") means when several could: the last one, the next one, or the nearest. */
export type DateLeaning = 'past' | 'future' | 'nearest';

/** A date read from text; `inferred` when the year or month was not typed and was chosen, so it is said back. */
export type DateReading = { ok: true; date: IsoDate; inferred: boolean } | { ok: false; reason: 'date.notDate' | 'date.notReal' };

const RELATIVE: ReadonlyMap<string, number> = new Map([
  ['今天', 0], ['今日', 0], ['当天', 0], ['today', 0], ['昨天', -1], ['昨日', -1], ['yesterday', -1], ['前天', -2], ['大前天', -3],
]);

const MAX_DATE_CHARS = 40;
const pad = (n: number) => String(n).padStart(2, '0');
const iso = (y: number, m: number, d: number) => `${y}-${pad(m)}-${pad(d)}`;

const YEAR_DIGITS = '〇一二三四五六七八九';

/** "二〇二六年十二月三日" → "2026年12月3日": Chinese numerals as digits, a year's digits one by one. */
function digitsOf(s: string): string {
  const years = s.replace(/[〇零一二三四五六七八九]{4}(?=年)/gu, (y) => [...y].map((c) => String(Math.max(0, YEAR_DIGITS.indexOf(c)))).join(''));
  return years.replace(/[零一二两三四五六七八九十]+/gu, (run) => {
    const n = parseInteger(run);
    return n === undefined ? run : String(n);
  });
}

/** Of the real dates among `candidates`, the one the leaning picks relative to today. */
function pick(candidates: IsoDate[], today: IsoDate, leaning: DateLeaning): IsoDate | undefined {
  const real = candidates.filter(isIsoDate);
  if (leaning === 'past') return real.filter((d) => d <= today).at(-1);
  if (leaning === 'future') return real.find((d) => d >= today);
  return [...real].sort((a, b) => Math.abs(naturalDaysBetween(today, a)) - Math.abs(naturalDaysBetween(today, b)))[0];
}

/** A month and day mean the nearest such date ("12月28日" in January is last December's): a year's jump is never assumed. */
function monthDay(month: number, day: number, today: IsoDate): DateReading {
  if (month < 1 || month > 12 || day < 1 || day > 31) return { ok: false, reason: 'date.notReal' };
  const year = Number(today.slice(0, 4));
  const date = pick([year - 1, year, year + 1].map((y) => iso(y, month, day)), today, 'nearest');
  return date ? { ok: true, date, inferred: true } : { ok: false, reason: 'date.notReal' };
}

function dayOnly(day: number, today: IsoDate, leaning: DateLeaning): DateReading {
  if (day < 1 || day > 31) return { ok: false, reason: 'date.notReal' };
  const [y, m] = [Number(today.slice(0, 4)), Number(today.slice(5, 7))];
  const months = [-1, 0, 1].map((k) => new Date(Date.UTC(y, m - 1 + k, 1)));
  const candidates = months.map((d) => iso(d.getUTCFullYear(), d.getUTCMonth() + 1, day));
  // "3号" is this month's 3rd, or, where only the past (or future) is allowed, the last (or next) 3rd.
  const date = leaning === 'nearest' ? (isIsoDate(candidates[1]!) ? candidates[1] : undefined) : pick(candidates, today, leaning);
  return date ? { ok: true, date, inferred: true } : { ok: false, reason: 'date.notReal' };
}

/** The date a reply names, or why it names none. */
export function readDate(text: string, today: IsoDate, leaning: DateLeaning = 'nearest'): DateReading {
  // A date is a few words; a long message is something else (and is not given to chrono at all).
  if (text.length > MAX_DATE_CHARS) return { ok: false, reason: 'date.notDate' };
  const typed = toHalfWidth(text.normalize('NFKC')).toLowerCase().replace(/[。！!？?，,]+$/u, '').trim();
  const word = normaliseWord(typed);
  const relative = RELATIVE.get(word);
  if (relative !== undefined) return { ok: true, date: addNaturalDays(today, relative), inferred: false };
  const t = digitsOf(typed.replace(/\s+/g, ''));
  let m = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})[日号]?$/u.exec(t) ?? /^(\d{4})(\d{2})(\d{2})$/.exec(t);
  if (m) {
    const date = iso(Number(m[1]), Number(m[2]), Number(m[3]));
    return isIsoDate(date) ? { ok: true, date, inferred: false } : { ok: false, reason: 'date.notReal' };
  }
  m = /^(\d{1,2})[-/.月](\d{1,2})[日号]?$/u.exec(t);
  if (m) return monthDay(Number(m[1]), Number(m[2]), today);
  m = /^(\d{1,2})[日号]$/u.exec(t);
  if (m) return dayOnly(Number(m[1]), today, leaning);
  return byChrono(typed, today);
}

/** What the patterns above do not cover ("上周三", "上个月5号"), read by chrono's Chinese parser at noon of today. */
function byChrono(typed: string, today: IsoDate): DateReading {
  const reference = { instant: new Date(`${today}T04:00:00Z`), timezone: 480 };
  const results = chrono.zh.hans.parse(typed, reference);
  const [r] = results;
  // Only a date that is the whole reply: "我3号去的，5号又去了" is no one date.
  if (results.length !== 1 || !r || normaliseWord(r.text).length < normaliseWord(typed).length - 2) return { ok: false, reason: 'date.notDate' };
  const [y, mo, d] = [r.start.get('year'), r.start.get('month'), r.start.get('day')];
  if (y === null || mo === null || d === null) return { ok: false, reason: 'date.notDate' };
  if (!r.start.isCertain('year')) return monthDay(mo, d, today);
  const date = iso(y, mo, d);
  // "上周三": a date worked out from words, so it is said back.
  return isIsoDate(date) ? { ok: true, date, inferred: true } : { ok: false, reason: 'date.notReal' };
}
