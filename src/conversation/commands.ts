import { normaliseWord } from '../engine/normalise.js';
import type { Locale } from '../i18n/i18n.js';

/** What a person may ask for outside a flow. Words are compared after normalising (case, width, punctuation). */
export type Command =
  | { kind: 'declare' }
  | { kind: 'progress' }
  | { kind: 'todo' }
  | { kind: 'handover' }
  | { kind: 'help' }
  | { kind: 'locale'; locale: Locale };

const WORDS: Readonly<Record<string, Command>> = {
  申报: { kind: 'declare' }, 我要申报: { kind: 'declare' }, 申请: { kind: 'declare' }, 自主申报: { kind: 'declare' }, declare: { kind: 'declare' },
  进度: { kind: 'progress' }, 查询: { kind: 'progress' }, 查进度: { kind: 'progress' }, 查询进度: { kind: 'progress' }, progress: { kind: 'progress' },
  我的待办: { kind: 'todo' }, 待办: { kind: 'todo' }, 待办事项: { kind: 'todo' }, todo: { kind: 'todo' },
  人工: { kind: 'handover' }, 转人工: { kind: 'handover' }, 找人工: { kind: 'handover' }, person: { kind: 'handover' }, human: { kind: 'handover' },
  帮助: { kind: 'help' }, help: { kind: 'help' },
  english: { kind: 'locale', locale: 'en' }, 英文: { kind: 'locale', locale: 'en' }, 英语: { kind: 'locale', locale: 'en' },
  中文: { kind: 'locale', locale: 'zh-CN' }, chinese: { kind: 'locale', locale: 'zh-CN' }, 简体中文: { kind: 'locale', locale: 'zh-CN' },
};

/** The command a typed text means, if it is one. @example readCommand("进度？") → { kind: 'progress' } */
export function readCommand(text: string): Command | undefined {
  return WORDS[normaliseWord(text)];
}

/** Commands that work even in the middle of a flow, before the flow sees the text. */
export function interruptsFlow(command: Command | undefined): boolean {
  return command?.kind === 'progress' || command?.kind === 'locale';
}

const GREETINGS = new Set(['你好', '您好', '在吗', '在不在', '喂', '哈喽', 'hi', 'hello', '你好啊', '您好啊', '有人吗']);

/** A greeting: someone coming back says hello rather than answering the question they left. */
export function isGreeting(text: string): boolean {
  return GREETINGS.has(normaliseWord(text));
}
