import { test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { interruptsFlow, isGreeting, readCommand } from '../../src/conversation/commands.js';
import { LOCALES } from '../../src/i18n/i18n.js';
import { fullWidth, hostileText, PROTOTYPE_WORDS } from '../helpers/hostile-input.js';

/** The words a household or a staff member types outside a flow: a command of ours, or nothing. */
const KINDS = ['declare', 'progress', 'todo', 'todoPage', 'todoItem', 'monthlyCheck', 'handover', 'help', 'locale', 'continue', 'revealPhone', 'reportLead', 'declareFor'];

function expectCommandOrNothing(text: string): void {
  const command = readCommand(text);
  if (command === undefined) return;
  expect(Object.getPrototypeOf(command)).toBe(Object.prototype);
  expect(KINDS).toContain(command.kind);
  if (command.kind === 'locale') expect(LOCALES).toContain(command.locale);
}

describe('readCommand', () => {
  it('takes no Object.prototype key for a command', () => {
    for (const word of PROTOTYPE_WORDS) {
      expect(readCommand(word), word).toBeUndefined();
      expect(interruptsFlow(readCommand(word))).toBe(false);
    }
  });
  it('still knows its words, in any width and with punctuation', () => {
    expect(readCommand('进度？')).toEqual({ kind: 'progress' });
    expect(readCommand(fullWidth('English'))).toEqual({ kind: 'locale', locale: 'en' });
    expect(readCommand(' 申报。')).toEqual({ kind: 'declare' });
    expect(readCommand('My Tasks')).toEqual({ kind: 'todo' });
    expect(readCommand('to do')).toEqual({ kind: 'todo' });
    expect(readCommand('查看电话 ２０２６１１２２－０００１。')).toEqual({ kind: 'revealPhone', caseNumber: '20261122-0001' });
    expect(readCommand('查看电话')).toEqual({ kind: 'revealPhone' });
    expect(readCommand('查看电话 张德福')).toBeUndefined();
  });
  it('hands out commands nobody can alter for the next person', () => {
    const command = readCommand('申报')!;
    expect(() => Object.assign(command, { kind: 'todo' })).toThrow(TypeError);
    expect(readCommand('申报')).toEqual({ kind: 'declare' });
  });
  test.prop([hostileText()])('returns one of its commands or nothing', expectCommandOrNothing);
});

describe('isGreeting', () => {
  it('takes no Object.prototype key for a greeting', () => {
    for (const word of PROTOTYPE_WORDS) expect(isGreeting(word), word).toBe(false);
  });
  test.prop([hostileText()])('answers true or false', (text) => {
    expect([true, false]).toContain(isGreeting(text));
  });
});
