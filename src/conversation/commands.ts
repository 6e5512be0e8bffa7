import { normaliseWord } from '../engine/normalise.js';
import { readSmallTalk } from '../engine/small-talk.js';
import { canon } from '../engine/step-types/choice-reading.js';
import type { Locale } from '../i18n/i18n.js';

/** What a person may ask for outside a flow. Words are compared after normalising (case, width, punctuation). */
export type Command =
  | { kind: 'declare' }
  | { kind: 'progress' }
  | { kind: 'todo' }
  /** 下一页 / 上一页 of 我的待办. */
  | { kind: 'todoPage'; step: 1 | -1 }
  /** 办3 / 待办第3项: item 3 of the list shown last (a bare "3" also, when no form is open). */
  | { kind: 'todoItem'; n: number }
  /** 排查: the monthly check is not done by chat yet; the person is told so and what to do meanwhile. */
  | { kind: 'monthlyCheck' }
  | { kind: 'handover' }
  /** 继续: back to a staff form left unfinished. */
  | { kind: 'continue' }
  /** 查看电话 20261122-0001: a household's full phone, for its monitoring contacts and its village's cadres (recorded). */
  | { kind: 'revealPhone'; caseNumber?: string }
  /** 上报线索 (staff): open a case for a household of their village whose risk they found (flows/cadre-lead.yaml). */
  | { kind: 'reportLead' }
  /** 代申报 (staff): declare for a household of their village that asked them to (flows/proxy-declaration.yaml). */
  | { kind: 'declareFor' }
  | { kind: 'help' }
  | { kind: 'locale'; locale: Locale };

const declare: Command = Object.freeze({ kind: 'declare' });
const progress: Command = Object.freeze({ kind: 'progress' });
const todo: Command = Object.freeze({ kind: 'todo' });
const monthlyCheck: Command = Object.freeze({ kind: 'monthlyCheck' });
const handover: Command = Object.freeze({ kind: 'handover' });
const help: Command = Object.freeze({ kind: 'help' });
const nextPage: Command = Object.freeze({ kind: 'todoPage', step: 1 });
const previousPage: Command = Object.freeze({ kind: 'todoPage', step: -1 });
const resume: Command = Object.freeze({ kind: 'continue' });
const revealPhone: Command = Object.freeze({ kind: 'revealPhone' });
const reportLead: Command = Object.freeze({ kind: 'reportLead' });
const declareFor: Command = Object.freeze({ kind: 'declareFor' });
const english: Command = Object.freeze({ kind: 'locale', locale: 'en' });
const chinese: Command = Object.freeze({ kind: 'locale', locale: 'zh-CN' });

/**
 * Every word a help text advertises must be here, in both languages (test/conversation/help-commands.test.ts).
 * Written as people type them; stored normalised ("my tasks" → "mytasks"). A Map, not an object: typed
 * words must never find an inherited property ("constructor", "__proto__").
 */
const WORDS: ReadonlyMap<string, Command> = new Map<string, Command>(
  (
    [
      ['申报', declare], ['我要申报', declare], ['申请', declare], ['自主申报', declare], ['declare', declare],
      ['进度', progress], ['查询', progress], ['查进度', progress], ['查询进度', progress], ['progress', progress],
      ['我的待办', todo], ['待办', todo], ['待办事项', todo], ['todo', todo], ['to do', todo], ['my tasks', todo], ['tasks', todo], ['my todo', todo],
      ['下一页', nextPage], ['下页', nextPage], ['更多', nextPage], ['后面的', nextPage], ['next', nextPage], ['next page', nextPage], ['more', nextPage],
      ['上一页', previousPage], ['上页', previousPage], ['previous', previousPage], ['previous page', previousPage], ['back page', previousPage],
      ['排查', monthlyCheck], ['定期排查', monthlyCheck], ['每月排查', monthlyCheck], ['月度排查', monthlyCheck], ['check', monthlyCheck], ['monthly check', monthlyCheck],
      ['人工', handover], ['转人工', handover], ['找人工', handover], ['person', handover], ['human', handover],
      ['帮助', help], ['help', help],
      ['查看电话', revealPhone], ['看电话', revealPhone], ['查电话', revealPhone], ['show phone', revealPhone], ['phone', revealPhone],
      ['继续', resume], ['接着填', resume], ['继续填写', resume], ['continue', resume], ['resume', resume],
      ['上报线索', reportLead], ['排查发现', reportLead], ['发现线索', reportLead], ['report lead', reportLead], ['report a lead', reportLead], ['new lead', reportLead],
      ['代申报', declareFor], ['代为申报', declareFor], ['委托申报', declareFor], ['declare for', declareFor], ['declare for a household', declareFor], ['proxy declaration', declareFor],
      ['english', english], ['英文', english], ['英语', english],
      ['中文', chinese], ['chinese', chinese], ['简体中文', chinese],
    ] as const
  ).map(([word, command]) => [normaliseWord(word), command]),
);

/** 查看电话 followed by a case number (spaces and punctuation already gone). */
const PHONE_OF_CASE = /^(查看电话|看电话|查电话|showphone|phone)(\d{8}-\d{4})$/;

/**
 * The command a typed text means, if it is one. @example readCommand("进度？") → { kind: 'progress' }
 * @example readCommand("查看电话 20261122-0001") → { kind: 'revealPhone', caseNumber: '20261122-0001' }
 */
export function readCommand(text: string): Command | undefined {
  const word = normaliseWord(text);
  const known = WORDS.get(word);
  if (known) return known;
  const phone = PHONE_OF_CASE.exec(word);
  return phone ? Object.freeze({ kind: 'revealPhone', caseNumber: phone[2]! }) : readTodoItem(text);
}

/** "办3", "待办第三项", "do 3": an item of 我的待办 by its number. */
function readTodoItem(text: string): Command | undefined {
  const m = /^(?:我的)?(?:待办|办理|办|todo|do|item)第?(\d{1,4})(?:项|个|号)?$/u.exec(canon(text));
  return m ? { kind: 'todoItem', n: Number(m[1]) } : undefined;
}

/** Commands that work even in the middle of a flow, before the flow sees the text (staff may also list their work, switch forms or start a lead). */
export function interruptsFlow(command: Command | undefined, staff = false): boolean {
  if (command?.kind === 'progress' || command?.kind === 'locale') return true;
  const kind = command?.kind;
  return staff && (kind === 'todo' || kind === 'continue' || kind === 'todoPage' || kind === 'todoItem' || kind === 'revealPhone' || startsStaffFlow(command));
}

/** Staff commands that start (or resume) a flow of their own: 上报线索, 代申报. */
export function startsStaffFlow(command: Command | undefined): boolean {
  return command?.kind === 'reportLead' || command?.kind === 'declareFor';
}

/** A greeting (the engine's list): someone coming back says hello rather than answering the question they left. */
export function isGreeting(text: string): boolean {
  return readSmallTalk(text) === 'greeting';
}
