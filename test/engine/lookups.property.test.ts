import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { readGlobalWord } from '../../src/engine/run.js';
import { readMany, readOne } from '../../src/engine/step-types/choice-reading.js';
import type { ResolvedOption } from '../../src/engine/step-types/choices.js';
import { readSmallTalk } from '../../src/engine/small-talk.js';
import { readCount } from '../../src/engine/step-types/number.js';
import { readAmount } from '../../src/engine/read-amount.js';
import { readDate } from '../../src/engine/read-date.js';
import { isIsoDate } from '../../src/policy/dates.js';
import { parseInteger } from '../../src/engine/step-types/common.js';
import { readYesNo } from '../../src/engine/step-types/confirm.js';
import { validateFlow } from '../../src/engine/validate-flow.js';
import { VALIDATOR_REASONS, VALIDATORS } from '../../src/engine/validators/index.js';
import { LOCALES } from '../../src/i18n/i18n.js';
import { fullWidth, hostileMenuId, hostileText, PROTOTYPE_KEYS, PROTOTYPE_WORDS } from '../helpers/hostile-input.js';

/**
 * The word lookups behind every typed answer: whatever the text, they return one of their own values or
 * nothing, never a property every object inherits ("constructor" is a function, "__proto__" an object).
 */
const NOW = new Date('2026-11-22T08:00:00.000Z');
const GLOBAL_COMMANDS = ['help', 'back', 'restart', 'cancel', 'handover'];
const varsArePlain = (vars: Record<string, unknown> | undefined) => Object.values(vars ?? {}).every((v) => typeof v === 'string' || typeof v === 'number');

describe('readGlobalWord', () => {
  it('takes no Object.prototype key for a global word', () => {
    for (const word of PROTOTYPE_WORDS) expect(readGlobalWord(word), word).toBeUndefined();
  });
  it('still knows its words, in any width and with punctuation', () => {
    expect(readGlobalWord('返回！')).toBe('back');
    expect(readGlobalWord(fullWidth('HELP'))).toBe('help');
    expect(readGlobalWord(' 转人工。')).toBe('handover');
  });
  test.prop([hostileText()])('returns a global command or nothing', (text) => {
    const word = readGlobalWord(text);
    expect(word === undefined || GLOBAL_COMMANDS.includes(word)).toBe(true);
  });
});

describe('readYesNo', () => {
  it('reads no Object.prototype key as yes or no, typed or tapped', () => {
    for (const word of PROTOTYPE_WORDS) expect(readYesNo(word, word), word).toBeUndefined();
  });
  test.prop([hostileText(), hostileMenuId(['yes', 'no'])])('returns true, false or nothing', (text, menuId) => {
    expect([true, false, undefined]).toContain(readYesNo(text, menuId));
  });
});

describe('parseInteger', () => {
  it('reads no Object.prototype key as a number', () => {
    for (const word of PROTOTYPE_WORDS) expect(parseInteger(word), word).toBeUndefined();
  });
  it('refuses digits past what a number holds exactly, rather than storing a different number', () => {
    expect(parseInteger('9'.repeat(17))).toBeUndefined();
    expect(parseInteger('1'.repeat(400))).toBeUndefined();
    expect(parseInteger('-0')).toBe(0);
    expect(Object.is(parseInteger('-0'), -0)).toBe(false);
  });
  it('still reads digits and Chinese numerals', () => {
    expect(parseInteger('12')).toBe(12);
    expect(parseInteger('两')).toBe(2);
    expect(parseInteger('二十三')).toBe(23);
    expect(parseInteger('零')).toBe(0);
  });
  test.prop([hostileText()])('returns a safe integer or nothing', (text) => {
    const n = parseInteger(text);
    expect(n === undefined || Number.isSafeInteger(n)).toBe(true);
  });
});

describe('readOne and readMany', () => {
  const option = (id: string, text?: string, keywords?: string[]): ResolvedOption => ({
    choice: { id, label: text ?? id }, id, exclusive: false, ...(text !== undefined ? { text } : {}), ...(keywords ? { keywords } : {}),
  });
  const OPTIONS = [option('illness', '因病', ['生病', '住院']), option('t1', '青山镇'), option('other', '其他'), option('noLabel')];
  it('matches no Object.prototype key to an option', () => {
    for (const word of PROTOTYPE_WORDS) {
      expect(readOne(word, OPTIONS).ok, word).toBe(false);
      expect(readMany(word, OPTIONS).ok, word).toBe(false);
    }
  });
  test.prop([hostileText()])('return some of the given options, or a reason with plain variables', (text) => {
    for (const r of [readOne(text, OPTIONS), readMany(text, OPTIONS)]) {
      if (r.ok) for (const o of r.options) expect(OPTIONS).toContain(o);
      else {
        expect(r.reason).toMatch(/^engine:invalid\./);
        expect(varsArePlain(r.vars)).toBe(true);
      }
    }
  });
});

describe('readSmallTalk and readCount', () => {
  it('read no Object.prototype key', () => {
    for (const word of PROTOTYPE_WORDS) {
      expect(readSmallTalk(word), word).toBeUndefined();
      expect(readCount(word), word).toBeUndefined();
    }
  });
  test.prop([hostileText()])('return one of their own values or nothing', (text) => {
    expect([undefined, 'greeting', 'thanks', 'ack']).toContain(readSmallTalk(text));
    const n = readCount(text);
    expect(n === undefined || Number.isSafeInteger(n)).toBe(true);
  });
});

describe('readDate and readAmount', () => {
  it('read no Object.prototype key', () => {
    for (const word of PROTOTYPE_WORDS) {
      expect(readDate(word, '2026-11-22').ok, word).toBe(false);
      expect(readAmount(word).ok, word).toBe(false);
    }
  });
  test.prop([hostileText(), fc.constantFrom<'past' | 'future' | 'nearest'>('past', 'future', 'nearest')])('return a real date or a reason', (text, leaning) => {
    const r = readDate(text, '2026-11-22', leaning);
    if (r.ok) expect(isIsoDate(r.date)).toBe(true);
    else expect(['date.notDate', 'date.notReal']).toContain(r.reason);
  });
  test.prop([hostileText()])('return a finite, non-negative number or a reason', (text) => {
    const r = readAmount(text);
    if (r.ok) expect(Number.isFinite(r.value) && r.value >= 0 && r.value <= Number.MAX_SAFE_INTEGER).toBe(true);
    else expect(['amount.notAmount', 'amount.unknown', 'amount.range', 'amount.none']).toContain(r.reason);
  });
});

describe('validators', () => {
  function check(name: string, text: string, maxLength?: number): void {
    const validator = VALIDATORS[name]!;
    const r = validator.validate(text, maxLength !== undefined ? { maxLength } : {}, NOW);
    if (r.ok) {
      expect(typeof r.value).toBe('string');
      if (validator.display) expect(typeof validator.display(r.value)).toBe('string');
    } else {
      expect(VALIDATOR_REASONS).toContain(r.reason);
      expect(varsArePlain(r.vars)).toBe(true);
    }
  }
  it.each(Object.keys(VALIDATORS))('%s refuses or keeps text, never anything else', (name) => {
    for (const word of PROTOTYPE_WORDS) check(name, word);
    fc.assert(
      fc.property(hostileText(), fc.option(fc.integer({ min: 1, max: 4000 }), { nil: undefined }), (text, maxLength) => check(name, text, maxLength)),
      { numRuns: 100 },
    );
  });
});

describe('flows naming an inherited property', () => {
  const opts = { locales: LOCALES, hasKey: () => true };
  const flowWith = (ask: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
    id: 'fx',
    version: 1,
    namespace: 'fx',
    start: 'ask',
    steps: { ask: { type: 'text', prompt: 'ask', validator: 'nonEmpty', next: 'done', ...ask }, done: { type: 'end' } },
    ...extra,
  });
  const messages = (raw: unknown) => {
    const r = validateFlow(raw, opts);
    return r.ok ? [] : r.errors.map((e) => `${e.path.join(' › ')}: ${e.message}`);
  };

  it.each(PROTOTYPE_KEYS.filter((k) => /^[a-zA-Z]/.test(k)))('refuses "%s" as a validator, a next step or the start', (key) => {
    expect(messages(flowWith({ validator: key }))).toContain(`step "ask" › validator: unknown validator "${key}"`);
    expect(messages(flowWith({ next: key }))).toContain(`step "ask" › next: unknown step "${key}"`);
    expect(messages(flowWith({}, { start: key }))).toContain(`start: unknown step "${key}"`);
  });

  it('refuses __proto__ as an answer field (it would replace the answers\' prototype)', () => {
    expect(messages(flowWith({ field: '__proto__' })).join('\n')).toMatch(/field names must start with a letter/);
  });

  it('accepts a step or field that really is called "constructor"', () => {
    expect(validateFlow(flowWith({ field: 'constructor' }), opts).ok).toBe(true);
  });
});
