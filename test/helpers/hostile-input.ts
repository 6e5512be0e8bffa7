import { fc } from '@fast-check/vitest';

/**
 * What people (or their phones) may type that a naive lookup mistakes for a known word: every property a
 * plain object inherits, in several casings, in full-width letters, with trailing punctuation.
 */
export const PROTOTYPE_KEYS: readonly string[] = [...new Set([...Object.getOwnPropertyNames(Object.prototype), '__proto__'])];

/** `abc!` → `ａｂｃ！`: what a Chinese keyboard in full-width mode sends. */
export function fullWidth(s: string): string {
  return s.replace(/[!-~]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
}

function casings(key: string): string[] {
  return [key, key.toLowerCase(), key.toUpperCase(), key.charAt(0).toUpperCase() + key.slice(1)];
}

/** Every prototype key in every casing, plain and full-width, bare and with trailing punctuation or spaces. */
export const PROTOTYPE_WORDS: readonly string[] = [
  ...new Set(
    PROTOTYPE_KEYS.flatMap(casings).flatMap((w) => [w, fullWidth(w), `${w}！`, `${w}?`, ` ${w}。`, `${fullWidth(w)}\u3000`, `${w}人`]),
  ),
];

/** A few of the variants per key: the raw key, capitalised, full-width with 。, upper-case with ！. */
export const PROTOTYPE_WORDS_SHORT: readonly string[] = [
  ...new Set(
    PROTOTYPE_KEYS.flatMap((k) => [k, k.charAt(0).toUpperCase() + k.slice(1), `${fullWidth(k)}。`, `${k.toUpperCase()}！`]),
  ),
];

/** What an inherited function or object looks like once it reaches a message: never in an answer unless the person typed it. */
export const LEAK = /\[object \w+\]|native code|\bundefined\b|\bNaN\b|function\s*\w*\s*\(/;

const FULL_WIDTH_DIGITS = fc.string({ unit: fc.constantFrom(...'０１２３４５６７８９'), maxLength: 6 });
const EMOJI = fc.string({ unit: fc.constantFrom('😀', '👍🏽', '🇨🇳', '👨‍👩‍👧', '\u{1F9D1}\u200D\u{1F33E}', '❤️'), maxLength: 5 });
const CONTROL = fc.string({ unit: fc.integer({ min: 0, max: 0x1f }).map((c) => String.fromCharCode(c)), maxLength: 8 });
const ODD = fc.constantFrom('{"$gt": ""}', '{"$ne": null}', '[object Object]', 'undefined', 'null', 'NaN', '-0', '1e999', '0x10', '', ' ', '\u3000', '\uFEFF', '\u202E');

/** Arbitrary text a person might send, biased towards what trips lookups and parsers. */
export function hostileText(maxLength = 4000): fc.Arbitrary<string> {
  return fc.oneof(
    { arbitrary: fc.constantFrom(...PROTOTYPE_WORDS), weight: 4 },
    { arbitrary: fc.string(), weight: 2 },
    { arbitrary: fc.string({ unit: 'binary' }), weight: 2 },
    { arbitrary: fc.string({ unit: 'grapheme' }), weight: 1 },
    { arbitrary: fc.integer({ min: -1000, max: 1000 }).map(String), weight: 1 },
    { arbitrary: fc.bigInt().map(String), weight: 1 },
    { arbitrary: FULL_WIDTH_DIGITS, weight: 1 },
    { arbitrary: EMOJI, weight: 1 },
    { arbitrary: CONTROL, weight: 1 },
    { arbitrary: ODD, weight: 1 },
    { arbitrary: fc.tuple(fc.constantFrom(...PROTOTYPE_WORDS), fc.string({ maxLength: 5 })).map(([a, b]) => `${a}${b}`), weight: 1 },
    { arbitrary: fc.string({ unit: 'binary', minLength: Math.min(1000, maxLength), maxLength }), weight: 1 },
  );
}

/** A tapped menu id that may be anything: absent, a prototype key, random text. */
export function hostileMenuId(known: readonly string[] = []): fc.Arbitrary<string | undefined> {
  return fc.option(fc.oneof(fc.constantFrom(...PROTOTYPE_KEYS), fc.string(), ...(known.length ? [fc.constantFrom(...known)] : [])), { nil: undefined });
}
