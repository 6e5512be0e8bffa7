import type { Vars } from '../events.js';

/** Result of a validator: the normalised value, or a reason (a key under `engine:invalid.`). */
export type ValidationResult = { ok: true; value: string } | { ok: false; reason: string; vars?: Vars };

/** Parameters a text step may give its validator. @example { "maxLength": 20 } */
export interface ValidatorParams {
  maxLength?: number;
}

/** A named check of free text, referenced by `validator:` in a text step. */
export interface Validator {
  validate(raw: string, params: ValidatorParams, now: Date): ValidationResult;
  /** How the stored value is echoed and summarised (e.g. masked). */
  display?(value: string): string;
}
