import { toHalfWidth } from '../normalise.js';
import { idNumber } from './id-number.js';
import type { Validator } from './validator.js';

import type { ValidationResult } from './validator.js';
export type { Validator, ValidationResult, ValidatorParams } from './validator.js';

/** Chinese mobile numbers: 1[3-9] and 9 more digits; spaces, dashes, full-width digits and +86 are tolerated. */
export const mobile: Validator = {
  validate(raw) {
    const value = toHalfWidth(raw).replace(/[\s\-()（）]+/g, '').replace(/^(\+?86)(?=1\d{10}$)/, '');
    return /^1[3-9]\d{9}$/.test(value) ? { ok: true, value } : { ok: false, reason: 'mobile.format' };
  },
  display: (v) => (v.length === 11 ? `${v.slice(0, 3)}****${v.slice(7)}` : v),
};

/** Phrasings around a name: "你好，我叫张富贵。" "户主是张富贵" "姓名：张富贵" "我姓张，叫张富贵" "My name is Li Ming". */
const GREETING_LEAD = /^(?:你好|您好|你们好)[\s,，!！。]*/u;
const NAME_LEAD = /^(?:(?:我们家|我家|咱家|本人|我)的?)?(?:户主)?的?(?:姓名|名字)?(?:是|叫)?[:：]?\s*/u;
const NAME_TAIL = /(?:就?是户主|是我)?[啊呀吧哦噢呢啦嘛]*$/u;
const SURNAME_THEN_NAME = /^姓(\p{Script=Han})[,，\s]*(?:名字)?叫(\p{Script=Han}+)$/u;
const RELATION_THEN_NAME = /^(?:老伴|老公|老婆|爱人|丈夫|妻子|爸爸|父亲|妈妈|母亲|爷爷|奶奶|儿子)(?:叫|是)?(\p{Script=Han}{2,4})$/u;
const LATIN_LEAD = /^(?:my name is|i am|i'm|name is|name:|the head is)\s*/i;
/** Words no name contains: what is left is a question, a greeting or "I don't know", not a name. */
const NOT_NAME = ['你好', '您好', '谢谢', '什么', '怎么', '为什么', '哪', '吗', '呢', '嗯', '好的', '没有', '不是', '请问', '在吗', '有人', '申报', '困难', '不会', '不懂', '啥', '咋', '户主'];
const UNKNOWN_NAME = ['不知道', '知道', '不清楚', '不记得', '忘了', '忘记'];
/**
 * A way of addressing or describing someone, not the name on an ID card: "王大哥", "李阿姨", "我爸爸", "他儿子",
 * "张富贵的老婆" (the simulator's demo households are called 张大爷, 李阿姨, 王大哥, and people type what they are called).
 */
const TITLE_IN_NAME = /(?:大爷|大娘|大妈|阿姨|大哥|大姐|大嫂|嫂子|老汉|老头|老太|师傅|叔叔|婶婶|婶子|爷爷|奶奶|姥姥|姥爷|外公|外婆|爸|妈|爹|老伴|老婆|老公|媳妇|丈夫|妻子|儿子|女儿|闺女|孙子|孙女|哥哥|姐姐|弟弟|妹妹|自己|他|她|的)/u;

/** The name inside a phrase, as typed: "我叫张富贵。" → "张富贵". */
export function nameInPhrase(raw: string): string {
  let value = toHalfWidth(raw).trim().replace(/\s+/g, ' ').replace(/[.•・]/g, '·');
  value = value.replace(GREETING_LEAD, '').replace(/[\s。!！?？,，~～]+$/u, '');
  if (/^[A-Za-z]/.test(value.replace(LATIN_LEAD, ''))) return value.replace(LATIN_LEAD, '');
  // "我是户主，叫张富贵" has several leads: strip them until none is left (each pass shortens the text).
  for (let before = ''; before !== value; ) {
    before = value;
    value = value.replace(NAME_LEAD, '').replace(/^[,，\s]+/u, '');
  }
  value = value.replace(NAME_TAIL, '').replace(/[\s。!！?？,，~～]+$/u, '');
  // "户主是我老伴张富贵": the relation, then the name.
  value = value.replace(RELATION_THEN_NAME, '$1');
  const parts = SURNAME_THEN_NAME.exec(value);
  if (parts) value = parts[2]!.startsWith(parts[1]!) ? parts[2]! : `${parts[1]}${parts[2]}`;
  return value;
}

/**
 * A person's name as written on the ID card: 2–20 Chinese characters or letters, with · for minority names.
 * Taken out of common phrasings ("我叫张富贵", "户主是张富贵", "姓名：张富贵"); "我不知道" or "你好" is no name.
 */
export const personName: Validator = {
  validate(raw) {
    if (toHalfWidth(raw).trim() === '') return { ok: false, reason: 'text.empty' };
    const value = nameInPhrase(raw);
    if (UNKNOWN_NAME.some((w) => value.includes(w))) return { ok: false, reason: 'name.unknown' };
    if (value === '' || NOT_NAME.some((w) => value.includes(w))) return { ok: false, reason: 'name.notName' };
    const length = [...value].length;
    if (length < 2 || length > 20 || !/^[\p{Script=Han}A-Za-z][\p{Script=Han}A-Za-z· ]*$/u.test(value)) return { ok: false, reason: 'name.format' };
    // Seven or more Chinese characters without a middle dot is a sentence, not a name.
    if (/^\p{Script=Han}{7,}$/u.test(value)) return { ok: false, reason: 'name.notName' };
    if (TITLE_IN_NAME.test(value) && /^\p{Script=Han}+$/u.test(value)) return { ok: false, reason: 'name.title', vars: { answer: value } };
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

/**
 * A description of at least 20 characters (回头看 D7 "家庭困难现状描述（20-2000字的情况说明）", seed004 附件2).
 * @example situation20.validate("老伴患慢性肾病…（20字以上）", {}, now)
 */
export const situation20: Validator = {
  validate(raw, params): ValidationResult {
    const value = raw.trim();
    const max = params.maxLength ?? 2000;
    if (value === '') return { ok: false, reason: 'text.empty' };
    if ([...value.replace(/\s+/g, '')].length < 20) return { ok: false, reason: 'text.tooShort', vars: { min: 20, length: [...value.replace(/\s+/g, '')].length } };
    if ([...value].length > max) return { ok: false, reason: 'text.tooLong', vars: { max } };
    return { ok: true, value };
  },
};

/**
 * A month from this month on, stored 'YYYY-MM' (回头看 D10 "该户计划消除时限（年月）"): "2027年6月", "2027-06",
 * "2027.6", "2027/6"; a month already past is refused.
 */
export const yearMonth: Validator = {
  validate(raw, _params, now) {
    const m = /^(\d{4})\s*(?:年|[-./])\s*(\d{1,2})\s*月?(?:份)?$/.exec(toHalfWidth(raw).trim());
    if (!m) return { ok: false, reason: 'yearMonth.format' };
    const month = Number(m[2]);
    if (month < 1 || month > 12) return { ok: false, reason: 'yearMonth.format' };
    const value = `${m[1]}-${String(month).padStart(2, '0')}`;
    const current = new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 7);
    if (value < current) return { ok: false, reason: 'yearMonth.past' };
    return { ok: true, value };
  },
  display: (v) => (/^\d{4}-\d{2}$/.test(v) ? `${v.slice(0, 4)}年${Number(v.slice(5))}月` : v),
};

/** Validators by the name used in flows. */
export const VALIDATORS: Readonly<Record<string, Validator>> = {
  nonEmpty: lengthLimited(2000),
  shortText: lengthLimited(50),
  longText: lengthLimited(500),
  personName,
  idNumber,
  mobile,
  situation20,
  yearMonth,
};

/** The validator a flow names; undefined for unknown names, including inherited ones like "constructor". */
export function validatorNamed(name: string): Validator | undefined {
  return Object.hasOwn(VALIDATORS, name) ? VALIDATORS[name] : undefined;
}

/** Every reason a validator may give, for the template check. */
export const VALIDATOR_REASONS = ['text.empty', 'text.tooLong', 'text.tooShort', 'yearMonth.format', 'yearMonth.past', 'idNumber.length', 'idNumber.format', 'idNumber.date', 'idNumber.checkDigit', 'mobile.format', 'name.format', 'name.notName', 'name.title', 'name.unknown'] as const;
