import { normaliseWord, toHalfWidth } from './normalise.js';

/**
 * Reading a sum of money or a count as people type it: "6000", "6千", "六千", "两千五", "2千5", "3000元",
 * "1.2万", "一万二", "￥3,000", full-width digits. "三四千" or "3000到4000" is a range and "不知道" no figure:
 * both are refused with their own reason, so the person is asked for one figure rather than given a guess.
 */

/** An amount read from text; `worded` when units or Chinese numerals were used ("两千五"), so it is said back. */
export type AmountReading =
  | { ok: true; value: number; worded: boolean }
  | { ok: false; reason: 'amount.notAmount' | 'amount.unknown' | 'amount.range' | 'amount.none' };

/** An amount is a few words ("大概两千五百块钱左右"); a longer message is something else. */
const MAX_AMOUNT_CHARS = 40;

const DIGITS: ReadonlyMap<string, number> = new Map([
  ['零', 0], ['〇', 0], ['一', 1], ['二', 2], ['两', 2], ['三', 3], ['四', 4], ['五', 5], ['六', 6], ['七', 7], ['八', 8], ['九', 9],
]);
const SMALL_UNITS: ReadonlyMap<string, number> = new Map([['十', 10], ['拾', 10], ['百', 100], ['佰', 100], ['千', 1000], ['仟', 1000], ['k', 1000]]);
const LARGE_UNITS: ReadonlyMap<string, number> = new Map([['万', 10_000], ['w', 10_000], ['亿', 100_000_000]]);

const UNKNOWN = /不知道|不清楚|不记得|记不清|说不清|说不准|不好说|忘了|不晓得|dontknow|notsure/u;
const NONE = /^(?:没有|没|无|没收入|没有收入|none|nothing)$/u;
/** Two numbers given as a range: "三四千", "五六百", "3000到4000", "3000-4000", "3千或4千". */
const RANGE = /[一二两三四五六七八九]{2}[十百千万]|\d\s+\d|(?:\d|[一二两三四五六七八九十百千万])\s*(?:到|至|-|~|或者|或)\s*(?:\d|[一二两三四五六七八九十])/u;
/** Words around the figure that change nothing: currency, "about", "a month". */
const AROUND = /^(?:大约|大概|差不多|估计|约|一共|总共|共|每个月|每月|一个月|每年|一年|rmb|cny)|(?:块钱|元钱|块|元|圆|人民币|yuan|rmb|左右|上下|的样子|多)$/gu;

/** The figure of a reply, or why it gives none. */
export function readAmount(text: string): AmountReading {
  if (text.length > MAX_AMOUNT_CHARS) return { ok: false, reason: 'amount.notAmount' };
  const typed = toHalfWidth(text.normalize('NFKC')).toLowerCase().trim();
  if (UNKNOWN.test(normaliseWord(typed).replace(/'/g, ''))) return { ok: false, reason: 'amount.unknown' };
  if (RANGE.test(typed)) return { ok: false, reason: 'amount.range' };
  // Like normaliseWord, but a decimal point stays ("1.2万") and a comma between digit groups goes ("3,000").
  let t = typed
    .replace(/(\d),(?=\d{3}(?:\D|$))/g, '$1')
    .replace(/[\s。!！?？,，、~～;；:："“”'‘’]+/gu, '')
    .replace(/\.$/u, '')
    .replace(/^[¥$]/u, '');
  if (NONE.test(t)) return { ok: false, reason: 'amount.none' };
  for (let before = ''; before !== t; ) {
    before = t;
    t = t.replace(AROUND, '');
  }
  if (/^\d+(?:\.\d{1,2})?$/.test(t)) return finite(Number(t), false);
  const value = parseWorded(t);
  return value === undefined ? { ok: false, reason: 'amount.notAmount' } : finite(value, true);
}

function finite(value: number, worded: boolean): AmountReading {
  const rounded = Math.round(value * 100) / 100;
  return Number.isFinite(rounded) && rounded <= Number.MAX_SAFE_INTEGER ? { ok: true, value: rounded + 0, worded } : { ok: false, reason: 'amount.notAmount' };
}

/**
 * "两千五" → 2500, "2千5" → 2500, "一万二" → 12000, "一万零五百" → 10500, "1.2万" → 12000, "三千五百" → 3500.
 * A lone digit after a unit is one unit lower ("两千五" is 2500, not 2005), unless 零 came between ("一千零五" is 1005).
 */
function parseWorded(t: string): number | undefined {
  let total = 0;
  let section = 0;
  let pending: number | undefined;
  let pendingIsDigit = false;
  let lastUnit = 0;
  let afterLarge = 0;
  let zero = false;
  let any = false;
  for (let i = 0; i < t.length; ) {
    const rest = t.slice(i);
    const number = /^\d+(?:\.\d{1,2})?(?!\d)/.exec(rest) ?? /^\d+(?![.\d])/.exec(rest);
    const ch = rest[0]!;
    if (number || DIGITS.has(ch)) {
      if (pending !== undefined) return undefined;
      pending = number ? Number(number[0]) : DIGITS.get(ch)!;
      pendingIsDigit = !number || /^\d$/.test(number[0]);
      if (ch === '零' || ch === '〇') {
        zero = true;
        pending = undefined;
      }
      i += number ? number[0].length : 1;
      any = true;
    } else if (SMALL_UNITS.has(ch)) {
      const unit = SMALL_UNITS.get(ch)!;
      section += (pending ?? 1) * unit;
      [pending, lastUnit, zero, any] = [undefined, unit, false, true];
      i += 1;
    } else if (LARGE_UNITS.has(ch)) {
      const unit = LARGE_UNITS.get(ch)!;
      total += (section + (pending ?? (section === 0 ? 1 : 0))) * unit;
      [section, pending, lastUnit, afterLarge, zero, any] = [0, undefined, 0, unit, false, true];
      i += 1;
    } else return undefined;
  }
  if (!any) return undefined;
  if (pending !== undefined) {
    if (!zero && pendingIsDigit && pending < 10 && lastUnit >= 10) section += (pending * lastUnit) / 10;
    else if (!zero && pendingIsDigit && pending < 10 && lastUnit === 0 && afterLarge > 0) section += (pending * afterLarge) / 10;
    else section += pending;
  }
  return total + section;
}
