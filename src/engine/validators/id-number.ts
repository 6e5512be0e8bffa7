import { toHalfWidth } from '../normalise.js';
import type { Validator } from './validator.js';

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS = '10X98765432';

/** GB 11643 check character of the first 17 digits. @example idNumberCheckChar("43062119800101123") === "X" */
export function idNumberCheckChar(first17: string): string {
  const sum = [...first17].reduce((acc, d, i) => acc + Number(d) * (WEIGHTS[i] ?? 0), 0);
  return CHECK_CHARS[sum % 11] ?? '';
}

/** `430621198001011234` → `4306**********1234`: enough for the household to recognise, too little to misuse. */
export function maskIdNumber(id: string): string {
  return id.length === 18 ? `${id.slice(0, 4)}${'*'.repeat(10)}${id.slice(14)}` : '*'.repeat(id.length);
}

function validBirthDate(yyyymmdd: string, now: Date): boolean {
  const [y, m, d] = [Number(yyyymmdd.slice(0, 4)), Number(yyyymmdd.slice(4, 6)), Number(yyyymmdd.slice(6, 8))];
  const date = new Date(Date.UTC(y, m - 1, d));
  const real = date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
  return real && y >= 1900 && date.getTime() <= now.getTime();
}

/** 18-character resident ID number (GB 11643): 17 digits, a valid birth date, and the mod-11 check character. */
export const idNumber: Validator = {
  validate(raw, _params, now) {
    const value = toHalfWidth(raw).replace(/[\s-]+/g, '').toUpperCase();
    if (value.length !== 18) return { ok: false, reason: 'idNumber.length', vars: { length: value.length } };
    if (!/^\d{17}[\dX]$/.test(value)) return { ok: false, reason: 'idNumber.format' };
    if (!validBirthDate(value.slice(6, 14), now)) return { ok: false, reason: 'idNumber.date' };
    if (idNumberCheckChar(value.slice(0, 17)) !== value[17]) return { ok: false, reason: 'idNumber.checkDigit' };
    return { ok: true, value };
  },
  display: maskIdNumber,
};
