import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { WorkCalendar } from '../../src/policy/calendar.js';
import { loadWorkCalendar } from '../../src/policy/calendar-loader.js';
import { PolicyFileError } from '../../src/policy/policy-file.js';

describe('calendar files', () => {
  const good = (year = 2030): string =>
    [
      `year: ${year}`,
      'source: { title: test, issued: "2029-11-01" }',
      'holidays:',
      `  - { festival: 元旦, from: "${year}-01-01", to: "${year}-01-01", days: 1 }`,
      'makeupWorkdays: []',
      '',
    ].join('\n');
  const dirWith = (files: Record<string, string>): string => {
    const dir = mkdtempSync(join(tmpdir(), 'cal-'));
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    return dir;
  };

  it('adds a year by adding a file', () => {
    const c = loadWorkCalendar(dirWith({ 'cn-2030.yaml': good() }));
    expect(c.coveredYears).toEqual([2030]);
    expect(c.isWorkingDay('2030-01-01')).toBe(false);
  });

  it('names the file, line and field of a wrong day count', () => {
    const text = good().replace('days: 1', 'days: 2');
    expect(() => loadWorkCalendar(dirWith({ 'cn-2030.yaml': text }))).toThrow(/cn-2030\.yaml:4: holidays\.0\.days: .*1 days, not 2/);
  });

  it('refuses a make-up working day on a weekday', () => {
    const text = good().replace('makeupWorkdays: []', 'makeupWorkdays:\n  - { festival: 元旦, date: "2030-01-02" }');
    expect(() => loadWorkCalendar(dirWith({ 'cn-2030.yaml': text }))).toThrow(/:6: makeupWorkdays\.0\.date: .*weekday/);
  });

  it('refuses a file whose name does not match its year, and a missing folder', () => {
    expect(() => loadWorkCalendar(dirWith({ 'cn-2031.yaml': good() }))).toThrow(PolicyFileError);
    expect(() => loadWorkCalendar('/nonexistent/calendar')).toThrow(/cannot read the folder/);
  });

  it('refuses a date both off and worked when built directly', () => {
    const y = { year: 2030, source: { title: 't', issued: '2029-11-01' }, holidays: [{ festival: 'x', from: '2030-01-05', to: '2030-01-05', days: 1 }] };
    expect(() => new WorkCalendar([{ ...y, makeupWorkdays: [{ festival: 'x', date: '2030-01-05' }] }])).toThrow(/both a holiday/);
  });
});
