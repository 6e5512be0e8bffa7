import { toHalfWidth } from '../normalise.js';
import { idNumber } from './id-number.js';
import type { Validator } from './validator.js';

export type { Validator, ValidationResult, ValidatorParams } from './validator.js';

/** Chinese mobile numbers: 1[3-9] and 9 more digits; spaces, dashes, full-width digits and +86 are tolerated. */
export const mobile: Validator = {
  validate(raw) {
    const value = toHalfWidth(raw).replace(/[\s\-()（）]+/g, '').replace(/^(\+?86)(?=1\d{10}$)/, '');
    return /^1[3-9]\d{9}$/.test(value) ? { ok: true, value } : { ok: false, reason: 'mobile.format' };
  },
  display: (v) => (v.length === 11 ? `${v.slice(0, 3)}****${v.slice(7)}` : v),
};

/** A person's name as written on the ID card: 2–20 Chinese characters or letters, with · for minority names. */
export const personName: Validator = {
  validate(raw) {
    const value = toHalfWidth(raw).trim().replace(/\s+/g, ' ').replace(/[.•・]/g, '·');
    if (value === '') return { ok: false, reason: 'text.empty' };
    const length = [...value].length;
    if (length < 2 || length > 20 || !/^[\p{Script=Han}A-Za-z][\p{Script=Han}A-Za-z· ]*$/u.test(value)) return { ok: false, reason: 'name.format' };
    return { ok: true, value };
  },
};

function lengthLimited(defaultMax: number): Validator {
  return {
    validate(raw, params) {
      const value = raw.trim();
      const max = params.maxLength ?? defaultMax;
      if (value === '') return { ok: false, reason: 'text.empty' };
      if ([...value].length > max) return { ok: false, reason: 'text.tooLong', vars: { max } };
      return { ok: true, value };
    },
  };
}

/** Validators by the name used in flows. */
export const VALIDATORS: Readonly<Record<string, Validator>> = {
  nonEmpty: lengthLimited(2000),
  shortText: lengthLimited(50),
  longText: lengthLimited(500),
  personName,
  idNumber,
  mobile,
};

/** The validator a flow names; undefined for unknown names, including inherited ones like "constructor". */
export function validatorNamed(name: string): Validator | undefined {
  return Object.hasOwn(VALIDATORS, name) ? VALIDATORS[name] : undefined;
}

/** Every reason a validator may give, for the template check. */
export const VALIDATOR_REASONS = ['text.empty', 'text.tooLong', 'idNumber.length', 'idNumber.format', 'idNumber.date', 'idNumber.checkDigit', 'mobile.format', 'name.format'] as const;
