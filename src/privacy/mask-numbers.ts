import { maskIdNumber } from '../engine/validators/id-number.js';

/** ASCII or full-width digits. */
const DIGIT = '[0-9\\uFF10-\\uFF19]';
/** What people put between the parts of one number: spaces, dashes, dots, and invisible characters. */
const SEPARATOR = '[\\s\\-\\uFF0D\\u2010-\\u2015.\\uFF0E\\u00B7\\u200B-\\u200D\\u2060\\uFEFF]';
/** `+86`, `＋86`, `(+86)` in front of a mobile number. */
const COUNTRY_CODE = `[(\\uFF08]?[+\\uFF0B]\\s?[8\\uFF18][6\\uFF16][)\\uFF09]?${SEPARATOR}{0,3}`;
/** The check character X of an ID number, not followed by a letter or digit (so `3x4` or `2X3` are left alone). */
const CHECK_X = `${SEPARATOR}{0,3}[xX\\uFF38\\uFF58](?![A-Za-z0-9\\uFF10-\\uFF19\\uFF21-\\uFF3A\\uFF41-\\uFF5A])`;
/** A run of digit groups joined by at most three separator characters, with an optional country code and X. */
const NUMBER_RUN = new RegExp(`(?:${COUNTRY_CODE})?${DIGIT}+(?:${SEPARATOR}{1,3}${DIGIT}+)*(?:${CHECK_X})?`, 'gu');
const DIGIT_GROUP = new RegExp(`${DIGIT}+`, 'gu');
const LEADING_COUNTRY_CODE = new RegExp(`^${COUNTRY_CODE}`, 'u');

/** Mobile numbers: 1[3-9] and nine more digits. */
const MOBILE = /^1[3-9]\d{9}$/;
/** A mobile number with the country code typed as digits (`8613812345678`, `008613812345678`). */
const MOBILE_WITH_86 = /^(?:00)?86(1[3-9]\d{9})$/;

const halfWidth = (digits: string) => digits.replace(/[\uFF10-\uFF19]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));

export const maskMobile = (v: string) => `${v.slice(0, 3)}****${v.slice(7)}`;

/**
 * The masked form of one number, or undefined when it is none of the kinds we hide:
 * an 18-character ID number (`4306**********1238`), a mobile number (`138****5678`), a 15-digit
 * old ID number (`4306********238`), or any other run of 16 or more digits such as a bank card
 * (`6222***********0123`: first four and last four).
 */
function maskDigits(digits: string, checkX: boolean): string | undefined {
  if (checkX) return digits.length === 17 ? maskIdNumber(`${digits}X`) : undefined;
  if (MOBILE.test(digits)) return maskMobile(digits);
  const with86 = MOBILE_WITH_86.exec(digits);
  if (with86) return maskMobile(with86[1]!);
  if (digits.length === 18) return maskIdNumber(digits);
  if (digits.length === 15) return `${digits.slice(0, 4)}${'*'.repeat(8)}${digits.slice(12)}`;
  if (digits.length >= 16) return `${digits.slice(0, 4)}${'*'.repeat(digits.length - 8)}${digits.slice(-4)}`;
  return undefined;
}

interface Group {
  start: number;
  end: number;
  digits: string;
}

/**
 * Masks what looks like an ID number, a mobile number or a bank card in free text, keeping just enough
 * to recognise it; the rest of the text is kept as it is. Numbers may be written with spaces, dashes or dots
 * between their parts, in full-width digits, with +86 in front or X at the end.
 * @example maskNumbers('身份证430621 19580512 1238，电话+86 138-1234-5678') === '身份证4306**********1238，电话138****5678'
 * @example maskNumbers('每月自付2000元，20261122-0001') === '每月自付2000元，20261122-0001'
 */
export function maskNumbers(text: string): string {
  return text.replace(NUMBER_RUN, (run) => maskRun(run));
}

function maskRun(run: string): string {
  const countryCode = LEADING_COUNTRY_CODE.exec(run)?.[0].length ?? 0;
  const groups: Group[] = [...run.slice(countryCode).matchAll(DIGIT_GROUP)].map((m) => ({
    start: countryCode + m.index,
    end: countryCode + m.index + m[0].length,
    digits: halfWidth(m[0]),
  }));
  const hasX = /[xX\uFF38\uFF58]$/.test(run);
  let out = '';
  let copied = 0;
  for (let i = 0; i < groups.length; ) {
    const found = longestMasked(groups, i, hasX);
    if (!found) {
      i++;
      continue;
    }
    const from = i === 0 && countryCode > 0 && found.mobile ? 0 : groups[i]!.start;
    const to = found.end === groups.length && found.withX ? run.length : groups[found.end - 1]!.end;
    out += run.slice(copied, from) + found.masked;
    copied = to;
    i = found.end;
  }
  return out + run.slice(copied);
}

/**
 * The longest span of groups from `i` that masks as one number. Longest first, so no part of a number
 * written in groups is left in the clear; numbers with only spaces or dashes between them are masked as one.
 */
function longestMasked(groups: Group[], i: number, hasX: boolean): { end: number; masked: string; withX: boolean; mobile: boolean } | undefined {
  for (let end = groups.length; end > i; end--) {
    const digits = groups.slice(i, end).map((g) => g.digits).join('');
    const withX = hasX && end === groups.length;
    const masked = (withX && maskDigits(digits, true)) || maskDigits(digits, false);
    if (masked) return { end, masked, withX: withX && digits.length === 17, mobile: MOBILE.test(digits) };
  }
  return undefined;
}
