import { describe, expect, it } from 'vitest';
import { idNumber, idNumberCheckChar, maskIdNumber } from '../../src/engine/validators/id-number.js';
import { VALIDATORS, mobile, personName } from '../../src/engine/validators/index.js';

const now = new Date('2026-01-05T08:00:00Z');
const v = (validator: typeof idNumber, raw: string, maxLength?: number) => validator.validate(raw, maxLength ? { maxLength } : {}, now);

describe('idNumber', () => {
  // Check characters computed independently (GB 11643 weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2, "10X98765432").
  it.each(['43062119800101123X', '11010519491231002X', '430124200002290017', '440304199912310007', '110101199003071233'])('accepts %s', (id) => {
    expect(v(idNumber, id)).toEqual({ ok: true, value: id });
  });

  it('normalises lower-case x, full-width digits and spaces', () => {
    expect(v(idNumber, '110105 19491231 002x')).toEqual({ ok: true, value: '11010519491231002X' });
    expect(v(idNumber, '４３０１２４２０００0２２９００１７')).toEqual({ ok: true, value: '430124200002290017' });
  });

  it('rejects a wrong check digit', () => {
    expect(v(idNumber, '430621198001011231')).toEqual({ ok: false, reason: 'idNumber.checkDigit' });
    expect(v(idNumber, '430124200002290018')).toEqual({ ok: false, reason: 'idNumber.checkDigit' });
  });

  it('rejects a wrong length with the length typed', () => {
    expect(v(idNumber, '4306211980010112')).toEqual({ ok: false, reason: 'idNumber.length', vars: { length: 16 } });
    expect(v(idNumber, '430621198001011234567')).toMatchObject({ ok: false, reason: 'idNumber.length' });
  });

  it('rejects letters other than a final X', () => {
    expect(v(idNumber, '43062119800101A23X')).toEqual({ ok: false, reason: 'idNumber.format' });
  });

  it('rejects an impossible or future birth date', () => {
    expect(v(idNumber, '430124200102290010')).toEqual({ ok: false, reason: 'idNumber.date' }); // 2001 is not a leap year
    expect(v(idNumber, '430621198013011230')).toEqual({ ok: false, reason: 'idNumber.date' });
    expect(v(idNumber, '430621203001011230')).toEqual({ ok: false, reason: 'idNumber.date' });
    expect(v(idNumber, '430621189901011230')).toEqual({ ok: false, reason: 'idNumber.date' });
  });

  it('computes the check character and masks for echo', () => {
    expect(idNumberCheckChar('43062119800101123')).toBe('X');
    expect(maskIdNumber('430124200002290017')).toBe('4301**********0017');
    expect(idNumber.display?.('43062119800101123X')).toBe('4306**********123X');
  });
});

describe('mobile', () => {
  it.each([
    ['13812345678', '13812345678'],
    ['138 1234 5678', '13812345678'],
    ['138-1234-5678', '13812345678'],
    ['１３８１２３４５６７８', '13812345678'],
    ['+86 199 0000 1111', '19900001111'],
  ])('accepts %s', (raw, value) => {
    expect(v(mobile, raw)).toEqual({ ok: true, value });
  });

  it.each(['12812345678', '1381234567', '138123456789', '0731-8888888', 'abc'])('rejects %s', (raw) => {
    expect(v(mobile, raw)).toEqual({ ok: false, reason: 'mobile.format' });
  });

  it('masks for display', () => {
    expect(mobile.display?.('13812345678')).toBe('138****5678');
  });
});

describe('text validators', () => {
  const { nonEmpty, shortText, longText } = VALIDATORS;
  it('nonEmpty trims and rejects blank', () => {
    expect(v(nonEmpty!, '  张三 ')).toEqual({ ok: true, value: '张三' });
    expect(v(nonEmpty!, ' \u3000 ')).toEqual({ ok: false, reason: 'text.empty' });
  });
  it('shortText applies the step maxLength, counting characters not bytes', () => {
    expect(v(shortText!, '因病住院', 4)).toEqual({ ok: true, value: '因病住院' });
    expect(v(shortText!, '因病住院了', 4)).toEqual({ ok: false, reason: 'text.tooLong', vars: { max: 4 } });
    expect(v(shortText!, 'x'.repeat(51))).toEqual({ ok: false, reason: 'text.tooLong', vars: { max: 50 } });
  });
  it('longText allows 500 characters', () => {
    expect(v(longText!, '病'.repeat(500))).toMatchObject({ ok: true });
    expect(v(longText!, '病'.repeat(501))).toEqual({ ok: false, reason: 'text.tooLong', vars: { max: 500 } });
  });
});

describe('personName', () => {
  const v = (s: string) => personName.validate(s, {}, now);
  it('accepts Chinese names, minority names with a middle dot, and Latin letters', () => {
    expect(v(' 张三 ')).toEqual({ ok: true, value: '张三' });
    expect(v('阿依古丽•买买提')).toEqual({ ok: true, value: '阿依古丽·买买提' });
    expect(v('Li Ming')).toEqual({ ok: true, value: 'Li Ming' });
  });
  it('refuses a single character, digits, an ID number typed by mistake, and over-long text', () => {
    for (const bad of ['张', '张3', '430621199001011234', `张${'三'.repeat(20)}`]) expect(v(bad)).toEqual({ ok: false, reason: 'name.format' });
    expect(v('  ')).toEqual({ ok: false, reason: 'text.empty' });
  });
  it.each([
    ['我叫张富贵', '张富贵'], ['我叫张富贵。', '张富贵'], ['我是张富贵！', '张富贵'], ['户主是张富贵', '张富贵'], ['户主叫张富贵啊', '张富贵'],
    ['姓名：张富贵', '张富贵'], ['名字是张富贵呀', '张富贵'], ['你好，我叫张富贵', '张富贵'], ['我是户主，叫张富贵', '张富贵'],
    ['我姓张，叫富贵', '张富贵'], ['张富贵是户主', '张富贵'], ['My name is Li Ming', 'Li Ming'], ['欧阳娜娜', '欧阳娜娜'],
    ['户主是我老伴张富贵', '张富贵'], ['我爸爸叫张富贵', '张富贵'],
  ])('takes the name out of "%s"', (raw, name) => {
    expect(v(raw)).toEqual({ ok: true, value: name });
  });
  it('takes what someone is called or how they are related for no name, and says so', () => {
    for (const [raw, answer] of [['王大哥', '王大哥'], ['我是王大爷', '王大爷'], ['李阿姨', '李阿姨'], ['我爸爸', '爸爸'], ['户主是我爷爷', '爷爷'], ['我是他儿子', '他儿子'], ['张富贵的老婆', '张富贵的老婆'], ['我自己', '自己']]) {
      expect(v(raw!), raw).toEqual({ ok: false, reason: 'name.title', vars: { answer } });
    }
  });
  it('says why when what is left is no name: "I don\'t know", a greeting, a sentence', () => {
    for (const raw of ['我不知道', '不清楚啊', '忘了']) expect(v(raw)).toEqual({ ok: false, reason: 'name.unknown' });
    for (const raw of ['你好', '我是户主', '户主', '叫啥', '我家里有困难需要帮助请尽快联系我谢谢大家', '户主是我老伴张富贵他今年六十']) {
      expect(v(raw), raw).toEqual({ ok: false, reason: 'name.notName' });
    }
  });
});
