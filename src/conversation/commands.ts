import { normaliseWord, toHalfWidth } from '../engine/normalise.js';
import { readSmallTalk } from '../engine/small-talk.js';
import type { Locale } from '../i18n/i18n.js';

/** What a person may ask for outside a flow. Words are compared after normalising (case, width, punctuation). */
export type Command =
  | { kind: 'declare' }
  | { kind: 'progress' }
  | { kind: 'todo' }
  /** 排查: the monthly check is not done by chat yet; the person is told so and what to do meanwhile. */
  | { kind: 'monthlyCheck' }
  | { kind: 'handover' }
  /** 继续: back to a staff form left unfinished. */
  | { kind: 'continue' }
  /** A step staff start on one case by its number: 异议 / 先行救助 / 风险消除 20261122-0001 (the number may be missing). */
  | { kind: 'caseStep'; step: CaseStepWord; caseNumber?: string }
  | { kind: 'help' }
  | { kind: 'locale'; locale: Locale };

/**
 * Steps staff start from a command, each on the case whose number follows the word: an objection during the
 * public notice (异议), relief first for plain sudden hardship (先行救助), a proposal of risk elimination (风险消除).
 */
export const CASE_STEP_WORDS = ['objection', 'fastTrack', 'elimination'] as const;
export type CaseStepWord = (typeof CASE_STEP_WORDS)[number];

const declare: Command = Object.freeze({ kind: 'declare' });
const progress: Command = Object.freeze({ kind: 'progress' });
const todo: Command = Object.freeze({ kind: 'todo' });
const monthlyCheck: Command = Object.freeze({ kind: 'monthlyCheck' });
const handover: Command = Object.freeze({ kind: 'handover' });
const help: Command = Object.freeze({ kind: 'help' });
const resume: Command = Object.freeze({ kind: 'continue' });
const english: Command = Object.freeze({ kind: 'locale', locale: 'en' });
const chinese: Command = Object.freeze({ kind: 'locale', locale: 'zh-CN' });
const objection: Command = Object.freeze({ kind: 'caseStep', step: 'objection' });
const fastTrack: Command = Object.freeze({ kind: 'caseStep', step: 'fastTrack' });
const elimination: Command = Object.freeze({ kind: 'caseStep', step: 'elimination' });

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
      ['排查', monthlyCheck], ['定期排查', monthlyCheck], ['每月排查', monthlyCheck], ['月度排查', monthlyCheck], ['check', monthlyCheck], ['monthly check', monthlyCheck],
      ['人工', handover], ['转人工', handover], ['找人工', handover], ['person', handover], ['human', handover],
      ['帮助', help], ['help', help],
      ['继续', resume], ['接着填', resume], ['继续填写', resume], ['continue', resume], ['resume', resume],
      ['english', english], ['英文', english], ['英语', english],
      ['中文', chinese], ['chinese', chinese], ['简体中文', chinese],
      ['异议', objection], ['登记异议', objection], ['公示异议', objection], ['objection', objection],
      ['先行救助', fastTrack], ['先救助', fastTrack], ['relief first', fastTrack], ['fast track', fastTrack],
      ['风险消除', elimination], ['消除风险', elimination], ['提出风险消除', elimination], ['elimination', elimination], ['eliminate', elimination],
    ] as const
  ).map(([word, command]) => [normaliseWord(word), command]),
);

/** A case number at the end of a command: 异议 20261122-0001, 异议：20261122-0001. */
const CASE_NUMBER_AT_END = /^(.*?)[\s:：,，]*(\d{8}-\d{4})$/;

/**
 * The command a typed text means, if it is one. A step word may be followed by a case number.
 * @example readCommand("进度？") → { kind: 'progress' }
 * @example readCommand("异议 20261122-0001") → { kind: 'caseStep', step: 'objection', caseNumber: '20261122-0001' }
 */
export function readCommand(text: string): Command | undefined {
  const whole = WORDS.get(normaliseWord(text));
  if (whole) return whole;
  const numbered = CASE_NUMBER_AT_END.exec(toHalfWidth(text).trim());
  const word = numbered ? WORDS.get(normaliseWord(numbered[1]!)) : undefined;
  return word?.kind === 'caseStep' ? Object.freeze({ ...word, caseNumber: numbered![2]! }) : undefined;
}

/** Commands that work even in the middle of a flow, before the flow sees the text (staff may also list their work or switch forms). */
export function interruptsFlow(command: Command | undefined, staff = false): boolean {
  if (command?.kind === 'progress' || command?.kind === 'locale') return true;
  return staff && (command?.kind === 'todo' || command?.kind === 'continue' || (command?.kind === 'caseStep' && command.caseNumber !== undefined));
}

/** A greeting (the engine's list): someone coming back says hello rather than answering the question they left. */
export function isGreeting(text: string): boolean {
  return readSmallTalk(text) === 'greeting';
}
