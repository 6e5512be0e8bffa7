import { normaliseWord } from './normalise.js';

/**
 * What a message is when it is small talk rather than an answer: a greeting ("你好", "在吗"), thanks
 * ("谢谢"), or a bare acknowledgement ("好的", "嗯", "是", "yes") that answers nothing where the step asks for content (a name,
 * a description: "yes" is not added to what a household is telling).
 * @example "greeting"
 */
export type SmallTalk = 'greeting' | 'thanks' | 'ack';

/** A Map, not an object: typed words must never find an inherited property ("constructor", "__proto__"). */
const WORDS: ReadonlyMap<string, SmallTalk> = new Map<string, SmallTalk>([
  ...[
    '你好', '您好', '你好啊', '您好啊', '你好呀', '您好呀', '你们好', '大家好', '在吗', '在不在', '在么', '在嘛', '有人吗', '有人在吗', '有没有人',
    '你好在吗', '您好在吗', '喂', '喂喂', '哈喽', '嗨', '早', '早上好', '上午好', '中午好', '下午好', '晚上好',
    'hi', 'hello', 'hey', 'helo', 'hallo', 'goodmorning', 'goodafternoon', 'goodevening',
  ].map((w) => [w, 'greeting'] as const),
  ...['谢谢', '谢谢你', '谢谢您', '谢谢啊', '多谢', '感谢', '非常感谢', '太感谢了', '谢了', 'thanks', 'thankyou', 'thx'].map((w) => [w, 'thanks'] as const),
  ...['好', '好的', '好滴', '好嘞', '好吧', '嗯', '嗯嗯', '哦', '噢', '喔', '知道了', '晓得了', '明白', '明白了', '收到', '行', '可以', '是', '是的', '对', '对的', '对对', 'ok', 'okay', 'yes', 'yeah', 'yep', 'sure', 'right', 'fine', '👌', '👍'].map((w) => [w, 'ack'] as const),
]);

/**
 * The small talk a whole message is, if it is only that. "你好，我叫张三" is not small talk (it carries an answer).
 * @example readSmallTalk("您好！") === "greeting"; readSmallTalk("嗯嗯") === "ack"; readSmallTalk("张三") === undefined
 */
export function readSmallTalk(text: string): SmallTalk | undefined {
  const w = normaliseWord(text);
  return WORDS.get(w) ?? WORDS.get(w.replace(/[啊呀哈]+$/u, ''));
}
