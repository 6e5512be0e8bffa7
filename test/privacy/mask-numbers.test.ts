import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { maskNumbers } from '../../src/privacy/mask-numbers.js';

const fullWidth = (s: string) => s.replace(/[0-9]/g, (d) => String.fromCharCode(d.charCodeAt(0) + 0xfee0));

describe('maskNumbers', () => {
  it.each([
    ['an ID number', '身份证430621195805121238。', '身份证4306**********1238。'],
    ['an ID number ending in X', '43062119800101123X', '4306**********123X'],
    ['an ID number ending in a lower-case x', '身份证43062119800101123x，', '身份证4306**********123X，'],
    ['an ID number ending in a full-width X', '４３０６２１１９８００１０１１２３Ｘ', '4306**********123X'],
    ['an ID number with spaces', '430621 19580512 1238', '4306**********1238'],
    ['an ID number in fours', '4306 2119 5805 1212 38 号', '4306**********1238 号'],
    ['an ID number with dashes and a spaced X', '430621-19800101-123 X', '4306**********123X'],
    ['an ID number in full-width digits', '４３０６２１１９５８０５１２１２３８', '4306**********1238'],
    ['an ID number with ideographic spaces', '４３０６２１　１９５８０５１２　１２３８', '4306**********1238'],
    ['a 15-digit old ID number', '老身份证430621580512123', '老身份证4306********123'],
    ['a mobile number', '电话13812345678', '电话138****5678'],
    ['a mobile number with spaces', '138 1234 5678', '138****5678'],
    ['a mobile number with dashes', '138-1234-5678', '138****5678'],
    ['a mobile number in full-width digits and dashes', '１３８－１２３４－５６７８', '138****5678'],
    ['a mobile number with +86', '+86 138 1234 5678', '138****5678'],
    ['a mobile number with +86 and no space', '打+8613812345678', '打138****5678'],
    ['a mobile number with (+86)', '(+86)138-1234-5678', '138****5678'],
    ['a mobile number with a full-width ＋８６', '＋８６ １３８１２３４５６７８', '138****5678'],
    ['a mobile number with 86 typed as digits', '8613812345678', '138****5678'],
    ['a mobile number split by zero-width spaces', '138\u200b1234\u200b5678', '138****5678'],
    ['a mobile number split over lines', '138\n1234\n5678', '138****5678'],
    ['a bank card of 16 digits', '卡号6222021234567890', '卡号6222********7890'],
    ['a bank card of 19 digits in groups', '6222 0212 3456 7890 123', '6222***********0123'],
    ['a 17-digit number (an ID without its last character)', '43062119580512123', '4306*********2123'],
    ['an ID number and a mobile number typed together', '43062119580512123813812345678', '4306*********************5678'],
  ])('masks %s', (_what, text, masked) => {
    expect(maskNumbers(text)).toBe(masked);
  });

  it('masks every number in a text and keeps the words between them', () => {
    expect(maskNumbers('我叫张德福，身份证430621195805121238，电话138 1234 5678，儿子电话+86 139-1234-5678。')).toBe(
      '我叫张德福，身份证4306**********1238，电话138****5678，儿子电话139****5678。',
    );
  });

  it.each([
    ['an amount', '每月自付2000元，一共花了35,000元'],
    ['a date', '2026-11-22 住院，2026年11月出院'],
    ['a case number', '案件编号 20261122-0001'],
    ['a household size and ages', '家里3口人，孩子8岁和12岁'],
    ['a number that is not a mobile number', '门牌号 12345678901'],
    ['a 3x4 measure', '房子3x4米'],
    ['a short number before an X', '编号123X'],
    ['text without digits', '老伴尿毒症每周透析。😀'],
  ])('leaves %s alone', (_what, text) => {
    expect(maskNumbers(text)).toBe(text);
  });

  it('keeps a short number after a mobile number separated by words', () => {
    expect(maskNumbers('电话13812345678，2个人在家')).toBe('电话138****5678，2个人在家');
  });

  const digits = (n: number) => fc.array(fc.integer({ min: 0, max: 9 }), { minLength: n, maxLength: n }).map((a) => a.join(''));
  /** A number as someone might type it: cut in random places, with random separators, some digits full-width. */
  const typed = (number: string) =>
    fc
      .tuple(
        fc.array(fc.constantFrom(' ', '-', '　', '－', ' - ', '\u200b', '\n'), { minLength: number.length, maxLength: number.length }),
        fc.array(fc.boolean(), { minLength: number.length, maxLength: number.length }),
        fc.array(fc.boolean(), { minLength: number.length, maxLength: number.length }),
      )
      .map(([seps, cuts, wide]) => [...number].map((c, i) => (i > 0 && cuts[i] ? seps[i] : '') + (wide[i] ? fullWidth(c) : c)).join(''));
  const words = fc.constantFrom('', '我的号码是', '身份证：', '，请联系', '。', '😀', '【', '(');
  const visibleDigits = (s: string) => s.replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0)).replace(/\D/g, '');

  it('never leaves more than the first and last four characters of an ID number, however it is typed', () => {
    const id = fc.tuple(digits(17), fc.constantFrom('0', '5', '9', 'X', 'x', 'Ｘ')).map(([d, c]) => d + c);
    fc.assert(
      fc.property(
        id.chain((n) => typed(n)),
        words,
        words,
        (number, before, after) => {
          const out = maskNumbers(`${before}${number}${after}`);
          expect(out).toContain('**********');
          expect(visibleDigits(out).length).toBeLessThanOrEqual(8);
        },
      ),
    );
  });

  it('never leaves the middle four digits of a mobile number, however it is typed', () => {
    const mobile = fc.tuple(fc.constantFrom('13', '15', '17', '18', '19'), digits(9)).map(([p, d]) => p + d);
    fc.assert(
      fc.property(
        mobile.chain((m) => fc.tuple(fc.constant(m), typed(m), fc.constantFrom('', '+86 ', '+86', '＋８６ ', '(+86)'))),
        words,
        words,
        ([number, masked, prefix], before, after) => {
          const out = maskNumbers(`${before}${prefix}${masked}${after}`);
          expect(out).toContain(`${number.slice(0, 3)}****${number.slice(7)}`);
          // The middle four never stand next to the digits around them (they could turn up elsewhere by chance,
          // and do when they equal the last four: 130 8160 8160 masks to 130****8160, whose digits read 1308160).
          if (number.slice(3, 7) !== number.slice(7)) expect(visibleDigits(out)).not.toContain(number.slice(0, 7));
          expect(visibleDigits(out)).not.toContain(number.slice(3));
        },
      ),
    );
  });
});
