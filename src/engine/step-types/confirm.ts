import { z } from 'zod';
import { say } from '../events.js';
import { normaliseWord, resolveKey } from '../normalise.js';
import { askFields, askKeys, askTargets } from './common.js';
import type { StepDef } from './step-def.js';

/** Whole replies that mean yes or no. */
export const YES_WORDS = ['是', '是的', '好', '好的', '同意', '确认', '对', '对的', '可以', '嗯', 'y', 'yes', 'ok', '1'];
export const NO_WORDS = ['否', '不', '不是', '不同意', '不要', '不行', '不对', 'n', 'no', '2'];

/**
 * Pieces a yes or a no is said with in Chinese ("没问题，提交吧", "对的没错", "好的提交", "确认提交") or English.
 * Maps, read longest first: "不对" is a no, not 不 + 对; "没问题" a yes, not 没 + 问题.
 */
const YES_PIECES: readonly string[] = [
  '没有问题', '没什么问题', '没问题', '没错', '同意', '确认', '提交', '可以', '是的', '是', '对', '好', '行', '嗯', '中', '要得', '成',
  'yes', 'yeah', 'yep', 'sure', 'ok', 'okay', 'submit', 'confirm', 'agree', 'correct', 'right', 'fine', 'y',
];
const NO_PIECES: readonly string[] = [
  '不同意', '不提交', '不确认', '不可以', '不用了', '不用', '不对', '不是', '不要', '不行', '不好', '算了', '错了', '有错', '否', '不', '别',
  'no', 'nope', 'not', 'dont', 'cancel', 'wrong', 'n',
];
/** Words that carry neither: particles, "please", "吧". */
const FILLER_PIECES: readonly string[] = ['吧', '啊', '呀', '的', '了', '啦', '哦', '呢', '嘛', '就', '都', '我', 'please', 'it', 'thanks', '谢谢'];

const PIECES: ReadonlyMap<string, 'yes' | 'no' | 'filler'> = new Map([
  ...YES_PIECES.map((p) => [p, 'yes'] as const),
  ...NO_PIECES.map((p) => [p, 'no'] as const),
  ...FILLER_PIECES.map((p) => [p, 'filler'] as const),
]);
const LONGEST_PIECE = Math.max(...[...PIECES.keys()].map((p) => p.length));

/** Reads a yes/no reply (or a tapped `yes`/`no` menu item); undefined when it is neither, or both ("不是，提交吧"). */
export function readYesNo(text: string, menuId?: string): boolean | undefined {
  if (menuId === 'yes' || menuId === 'no') return menuId === 'yes';
  const w = normaliseWord(text.normalize('NFKC'));
  if (YES_WORDS.includes(w)) return true;
  if (NO_WORDS.includes(w)) return false;
  if (w === '' || w.length > 24) return undefined;
  const seen = new Set<'yes' | 'no' | 'filler'>();
  for (let at = 0; at < w.length; ) {
    let piece: string | undefined;
    for (let len = Math.min(LONGEST_PIECE, w.length - at); len > 0 && piece === undefined; len--) {
      if (PIECES.has(w.slice(at, at + len))) piece = w.slice(at, at + len);
    }
    if (piece === undefined) return undefined;
    seen.add(PIECES.get(piece)!);
    at += piece.length;
  }
  if (seen.has('yes') === seen.has('no')) return undefined;
  return seen.has('yes');
}

/**
 * A question put as "有没有…？" (其中有没有发放救助金？) is answered 有 or 没有. Only a yes/no question reads these:
 * elsewhere "没有" may mean "no problem" (a review) or "none" (a list).
 */
export function readHaveOrNot(text: string): boolean | undefined {
  const w = normaliseWord(text.normalize('NFKC')).replace(/[的啊呀了]+$/u, '');
  if (w === '有') return true;
  if (w === '没有' || w === '没' || w === '无') return false;
  return undefined;
}

/**
 * The question's own words for yes or no (`yesWords`, `noWords`): the whole reply ("好了"), or a word found
 * within it ("已经签了字"), a no-word winning ("还没签了" is not 签了).
 */
function readOwnWords(step: { yesWords?: string[]; noWords?: string[] }, text: string, match: 'whole' | 'within'): boolean | undefined {
  const w = normaliseWord(text.normalize('NFKC'));
  if (w === '') return undefined;
  const said = (word: string) => (match === 'whole' ? normaliseWord(word) === w : w.includes(word));
  if (step.noWords?.some(said)) return false;
  if (step.yesWords?.some(said)) return true;
  return undefined;
}

export const confirmStepSchema = z.strictObject({
  type: z.literal('confirm'),
  ...askFields,
  /** Where a "no" goes (e.g. an `end` step with reason `declined`); without it the flow ends declined. */
  onNo: z.string().optional(),
  /**
   * The gathering step just before (`gather: true`): a sentence sent right after 说完了, which is no yes or no, is
   * more of that story (typed before this question showed), so it is added there rather than refused and lost.
   */
  lateTextTo: z.string().optional(),
  /**
   * Replies that answer this question's yes or no in its own words: a whole reply first ("好了" is a no to
   * "还要添加吗？" though 好 alone is a yes), then, after the common readings, a word found anywhere in the reply
   * ("已经签了字"; a no-word winning: "还没签" is not 签了).
   */
  yesWords: z.array(z.string().min(1)).max(40).optional(),
  noWords: z.array(z.string().min(1)).max(40).optional(),
});

/**
 * Ask yes or no; stores true/false. "Yes" follows `next`/`branches`, "no" goes to `onNo`.
 * @example { "type": "confirm", "prompt": "ask_commitment", "field": "commitment", "next": "review", "onNo": "declined" }
 */
export type ConfirmStep = z.infer<typeof confirmStepSchema>;

export const confirmStep: StepDef<ConfirmStep> = {
  type: 'confirm',
  schema: confirmStepSchema,
  waits: true,
  enter: (step, c) => ({
    kind: 'ask',
    outbound: {
      type: 'choices',
      key: resolveKey(c.namespace, step.prompt),
      vars: {},
      choices: [{ id: 'yes', labelKey: 'engine:confirm.yes' }, { id: 'no', labelKey: 'engine:confirm.no' }],
    },
  }),
  answer(step, input) {
    const own = input.menuId === undefined ? readOwnWords(step, input.text, 'whole') : undefined;
    const yes = own ?? readYesNo(input.text, input.menuId) ?? readHaveOrNot(input.text) ?? readOwnWords(step, input.text, 'within');
    if (yes === undefined) return { kind: 'invalid', reason: 'engine:invalid.confirm' };
    if (yes) return { kind: 'answer', value: true };
    if (step.onNo) return { kind: 'answer', value: false, goto: step.onNo };
    return { kind: 'end', reason: 'declined', events: [say('engine:declined'), { type: 'flow_ended', reason: 'declined' }] };
  },
  keys: askKeys,
  targets: (step) => [...askTargets(step), ...(step.onNo ? [{ path: 'onNo', target: step.onNo }] : []), ...(step.lateTextTo ? [{ path: 'lateTextTo', target: step.lateTextTo }] : [])],
  check: () => [],
  display: (_step, value) => ({ valueKeys: [value === true ? 'engine:confirm.yes' : 'engine:confirm.no'] }),
};
