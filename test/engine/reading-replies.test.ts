import { describe, expect, it } from 'vitest';
import { AREA_OPTION_SOURCES } from '../../src/conversation/area-options.js';
import { CHECK_OPTION_SOURCES } from '../../src/checks/check-options.js';
import { loadFlows } from '../../src/engine/flow-loader.js';
import { readMany, readOne, type ReadableOption } from '../../src/engine/step-types/choice-reading.js';
import { readAmount } from '../../src/engine/read-amount.js';
import { readDate } from '../../src/engine/read-date.js';
import { readYesNo } from '../../src/engine/step-types/confirm.js';
import { readCount } from '../../src/engine/step-types/number.js';
import { createTexts, LOCALES } from '../../src/i18n/i18n.js';
import { FLOWS_DIR } from '../../src/shared/paths.js';

/**
 * What an elderly villager types on a phone, read against the declaration's real options, labels and keywords
 * (flows/declaration.yaml, templates/zh-CN). Whatever is unsure is asked again, never picked silently.
 */
const texts = createTexts();
const declaration = loadFlows(FLOWS_DIR, { locales: LOCALES, hasKey: (l, k) => texts.has(l, k), optionSources: [...AREA_OPTION_SOURCES, ...CHECK_OPTION_SOURCES] }).get('declaration')!;

function optionsOf(stepId: string): ReadableOption[] {
  const s = declaration.steps[stepId];
  if (!s || (s.type !== 'chooseMany' && s.type !== 'chooseOne')) throw new Error(`${stepId} is no choice step`);
  return (s.options ?? []).map((o) => ({ id: o.id, text: texts.t('zh-CN', `declaration:${o.label}`), ...(o.keywords ? { keywords: o.keywords } : {}) }));
}
const RISKS = optionsOf('ask_risk_types');
const GUARANTEES = optionsOf('ask_basic_guarantees');
const GROUPS: ReadableOption[] = [{ id: 'g1', text: '一组' }, { id: 'g2', text: '二组' }, { id: 'g3', text: '三组' }];
const TOWNSHIPS: ReadableOption[] = [{ id: 't1', text: '青山镇' }, { id: 't2', text: '白水乡' }];

const ids = (r: ReturnType<typeof readMany>) => (r.ok ? r.options.map((o) => o.id) : r.reason);

describe('one choice', () => {
  it.each([
    ['第一个', 't1'], ['第1个', 't1'], ['第二项', 't2'], ['头一个', 't1'], ['最后一个', 't2'], ['２', 't2'], ['two', 't2'], ['我是青山镇的', 't1'], ['白水', 't2'],
    ['the second one', 't2'], ['The first', 't1'], ['number 2', 't2'], ['No. 1', 't1'], ['I choose two', 't2'],
  ])('"%s" at the township', (typed, id) => {
    expect(ids(readOne(typed, TOWNSHIPS))).toEqual([id]);
  });
  it.each([['2组', 'g2'], ['二组', 'g2'], ['第二组', 'g2'], ['桃源村三组', 'g3'], ['3', 'g3'], ['group 2', 'g2'], ['Group three', 'g3']])('"%s" at the group', (typed, id) => {
    expect(ids(readOne(typed, GROUPS))).toEqual([id]);
  });
  it('a bare number that is also another option\'s name is asked, naming both', () => {
    const shuffled = [GROUPS[2]!, GROUPS[0]!, GROUPS[1]!]; // 三组, 一组, 二组
    expect(readOne('2', shuffled)).toEqual({ ok: false, reason: 'engine:invalid.choice.ambiguousAmong', vars: { answer: '2', candidates: '2. 一组 / 3. 二组' } });
  });
  it('says back what it read from a sentence or a part of a label, not from a number or a whole label', () => {
    expect(readOne('我是青山镇的', TOWNSHIPS)).toMatchObject({ ok: true, free: true });
    expect(readOne('白水', TOWNSHIPS)).toMatchObject({ ok: true, free: true });
    expect(readOne('2', TOWNSHIPS)).toMatchObject({ ok: true, free: false });
    expect(readOne('白水乡', TOWNSHIPS)).toMatchObject({ ok: true, free: false });
  });
  it('"group 2" names the group called 2组, never the second position (groups may skip a number)', () => {
    const gap: ReadableOption[] = [{ id: 'g1', text: '一组' }, { id: 'g3', text: '三组' }];
    expect(ids(readOne('group 3', gap))).toEqual(['g3']);
    expect(readOne('group 2', gap)).toMatchObject({ ok: false });
    expect(ids(readOne('none', [...gap, { id: 'none', text: 'none of these' }]))).toEqual(['none']);
  });
  it('names the closest English options by whole words, not by letters they share', () => {
    const en: ReadableOption[] = [
      { id: 'illness', text: 'Illness (high medical costs)' },
      { id: 'failedBusiness', text: 'Failed farming or business project' },
      { id: 'unstableWork', text: 'Unstable work (job lost, no work)' },
    ];
    // Before, "people" was "closest" to 2 and 3 through the letter pairs "le" and "pe".
    expect(readMany('people', en)).toMatchObject({ ok: false, reason: 'engine:invalid.choice.noMatch' });
    expect(readMany('farmings', en)).toMatchObject({ ok: false, reason: 'engine:invalid.choice.noMatch' });
    expect(readMany('farming', en)).toMatchObject({ ok: true, options: [{ id: 'failedBusiness' }] });
  });
  it('out of range and nothing like an option are refused', () => {
    expect(readOne('第5个', TOWNSHIPS)).toMatchObject({ ok: false, reason: 'engine:invalid.choice.outOfRange' });
    expect(readOne('黄山镇', TOWNSHIPS)).toMatchObject({ ok: false, reason: 'engine:invalid.choice.closest', vars: { candidates: '1. 青山镇' } });
    expect(readOne('随便', TOWNSHIPS)).toMatchObject({ ok: false, reason: 'engine:invalid.choice.noMatch' });
  });
});

describe('several choices', () => {
  it.each([
    ['1,3', ['illness', 'disability']],
    ['1和3', ['illness', 'disability']],
    ['一、三', ['illness', 'disability']],
    ['１ ３', ['illness', 'disability']],
    ['第一个和最后一个', ['illness', 'other']],
    ['老伴生病住院了，花了好多钱', ['illness']],
    ['孩子上大学学费交不起', ['schooling']],
    ['前年发洪水房子冲了，儿子又出了车祸', ['naturalDisaster', 'accident']],
    ['养猪亏本了', ['failedBusiness']],
    ['厂子倒闭了没活干', ['unstableWork']],
    ['年纪大了，家里没人干活', ['lackOfLabour']],
    ['因病,其他', ['illness', 'other']],
  ])('"%s" at the risk types', (typed, expected) => {
    expect(ids(readMany(typed, RISKS))).toEqual(expected);
  });
  it.each([
    ['收入低 房子是危房', ['lowIncome', 'housing']],
    ['孩子没上学', ['compulsoryEducation']],
    ['家里穷，吃水也难', ['lowIncome', 'drinkingWater']],
    ['老伴没参加医保', ['medicalInsurance']],
    ['都没有', ['none']],
    ['没有', ['none']],
  ])('"%s" at the basic guarantees', (typed, expected) => {
    expect(ids(readMany(typed, GUARANTEES))).toEqual(expected);
  });
  it('a negated keyword names nothing: "没有生病" is not 因病', () => {
    expect(readMany('没有生病，就是厂子倒闭了', RISKS)).toMatchObject({ ok: true, options: [{ id: 'unstableWork' }] });
    expect(readMany('孩子没上学', RISKS)).toMatchObject({ ok: false });
  });
  it('a sentence is said back; numbers and whole labels are not', () => {
    expect(readMany('老伴生病住院了', RISKS)).toMatchObject({ ok: true, free: true });
    expect(readMany('1,3', RISKS)).toMatchObject({ ok: true, free: false });
  });
  it('what fits nothing names the two closest options instead of only "not found"', () => {
    expect(readMany('欠了很多债', RISKS)).toMatchObject({ ok: false, reason: 'engine:invalid.choice.noMatch' });
    const r = readMany('家里没劳力', RISKS);
    expect(r).toMatchObject({ ok: false, reason: 'engine:invalid.choice.closest' });
    expect(r.ok ? '' : String(r.vars.candidates)).toMatch(/^8\. 缺劳动力/);
  });
  it('a part that fits several labels alone is asked, naming them', () => {
    expect(readMany('因', RISKS)).toMatchObject({ ok: false, reason: 'engine:invalid.choice.ambiguous' });
    expect(readMany('1,12', RISKS)).toMatchObject({ ok: false, reason: 'engine:invalid.choice.outOfRange', vars: { max: 9 } });
  });
});

describe('yes and no', () => {
  it.each(['没问题，提交吧', '对的没错', '好的提交', '可以', '行', '嗯嗯', '确认提交', '提交吧', 'yes', 'Submit', 'OK', '是的'])('"%s" is yes', (typed) => {
    expect(readYesNo(typed)).toBe(true);
  });
  it.each(['不对', '不是', '不要', '算了', 'no', '不同意', '不提交'])('"%s" is no', (typed) => {
    expect(readYesNo(typed)).toBe(false);
  });
  it.each(['不是，提交吧', '没有', '不好意思', 'yesterday', 'nothing', '我不知道'])('"%s" is neither', (typed) => {
    expect(readYesNo(typed)).toBeUndefined();
  });
});

describe('counts', () => {
  it.each([['3', 3], ['３', 3], ['三口', 3], ['3口人', 3], ['4个人', 4], ['一家四口', 4], ['我家有5口人', 5], ['three', 3], ['3 people', 3], ['十口人', 10]])(
    '"%s" is %d',
    (typed, n) => {
      expect(readCount(typed)).toBe(n);
    },
  );
  it.each(['三四个', '一家子', '2人3口'])('"%s" is no one number', (typed) => {
    expect(readCount(typed)).toBeUndefined();
  });
});

describe('dates (today is 2026-11-22 in Shanghai)', () => {
  const T = '2026-11-22';
  it.each([
    ['今天', '2026-11-22'], ['昨天', '2026-11-21'], ['前天', '2026-11-20'], ['2026-12-03', '2026-12-03'], ['2026年12月3日', '2026-12-03'],
    ['２０２６年１２月３日', '2026-12-03'], ['12月3日', '2026-12-03'], ['12.3', '2026-12-03'], ['十二月三日', '2026-12-03'], ['上周三', '2026-11-18'],
  ])('"%s" is %s', (typed, date) => {
    expect(readDate(typed, T)).toMatchObject({ ok: true, date });
  });
  it('"3号" is this month\'s 3rd, or the last 3rd where only the past is allowed; "30号" then last month\'s', () => {
    expect(readDate('3号', T)).toEqual({ ok: true, date: '2026-11-03', inferred: true });
    expect(readDate('30号', T, 'past')).toEqual({ ok: true, date: '2026-10-30', inferred: true });
    expect(readDate('30号', T, 'future')).toEqual({ ok: true, date: '2026-11-30', inferred: true });
  });
  it('a month and day without a year is the nearest one: 12月28日 in early January is last year\'s', () => {
    expect(readDate('12月28日', '2027-01-05')).toMatchObject({ date: '2026-12-28', inferred: true });
  });
  it('impossible days and two dates are refused', () => {
    expect(readDate('2月30日', T)).toEqual({ ok: false, reason: 'date.notReal' });
    expect(readDate('我3号去的，5号又去了', T)).toEqual({ ok: false, reason: 'date.notDate' });
  });
});

describe('amounts', () => {
  it.each([
    ['6千', 6000], ['6000', 6000], ['六千', 6000], ['两千五', 2500], ['2千5', 2500], ['3000元', 3000], ['1.2万', 12000], ['一万二', 12000],
    ['￥3,000', 3000], ['３０００', 3000], ['一万零五百', 10500], ['一千零五', 1005], ['大概两千多块钱', 2000],
  ])('"%s" is %d', (typed, value) => {
    expect(readAmount(typed)).toMatchObject({ ok: true, value });
  });
  it('a range, "I don\'t know" and "none" each get their own reason', () => {
    expect(readAmount('三四千')).toEqual({ ok: false, reason: 'amount.range' });
    expect(readAmount('3000到4000')).toEqual({ ok: false, reason: 'amount.range' });
    expect(readAmount('不知道')).toEqual({ ok: false, reason: 'amount.unknown' });
    expect(readAmount('没有')).toEqual({ ok: false, reason: 'amount.none' });
  });
});
