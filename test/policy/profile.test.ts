import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadWorkCalendar } from '../../src/policy/calendar-loader.js';
import { limitDeadline, monthlyReportDue } from '../../src/policy/limits.js';
import { PolicyFileError } from '../../src/policy/policy-file.js';
import { incomeThresholdFor, type PolicyProfile, profileKey } from '../../src/policy/profile.js';
import { PROFILE_DIR, loadProfiles } from '../../src/policy/profile-loader.js';
import { findProfile, ProfileNotFoundError, selectProfile } from '../../src/policy/profile-select.js';

const profiles = loadProfiles();
const byId = (id: string): PolicyProfile => {
  const p = profiles.find((x) => x.id === id);
  if (!p) throw new Error(`no ${id}`);
  return p;
};

describe('shipped profiles', () => {
  it('load and validate', () => {
    expect(profiles.map(profileKey).sort()).toEqual(['henan-2021@1', 'hunan-2022@1', 'national-2022@1']);
  });

  it('Henan 2021: 7-day notice, township decides with county filing, cross-check before appraisal', () => {
    const p = byId('henan-2021');
    expect(p.limits.publicNotice).toEqual({ amount: 7, unit: 'natural' });
    expect(p.approval).toBe('townshipDecidesCountyFiles');
    expect(p.announcementChannel).toBe('villageBoard');
    expect(p.dataCrossCheck.timing).toBe('beforeAppraisal');
    expect(incomeThresholdFor(p, 2021)).toBe(6372);
    expect(incomeThresholdFor(p, 2026)).toBeUndefined();
  });

  it('Hunan 2022: 5-day notice, county approves, cross-check during the notice, 低保/特困/孤儿 skip it', () => {
    const p = byId('hunan-2022');
    expect(p.limits).toMatchObject({
      identification: { amount: 15, unit: 'natural' },
      publicNotice: { amount: 5, unit: 'natural' },
      assistancePlan: { amount: 10, unit: 'natural' },
      measureEntry: { amount: 1, unit: 'month' },
    });
    expect(p.monthlyReportDay).toBe(28);
    expect(p.approval).toBe('countyApprovesAndAnnounces');
    expect(p.dataCrossCheck.timing).toBe('duringNotice');
    expect(p.dataCrossCheck.skipFor).toEqual(expect.arrayContaining(['minimumLivingAllowance', 'extremePoverty', 'orphan']));
    expect(incomeThresholdFor(p, 2022)).toBe(6900);
  });

  it('national 2022 is the CN fallback with the guideline values', () => {
    const p = byId('national-2022');
    expect(p.region).toBe('CN');
    expect(p.limits.publicNotice.amount).toBe(5);
    expect(p.elimination).toMatchObject({ blockIfIncomeBelowLine: true, holdIfNoLabour: true, byAssistanceEarliestMonth: 2 });
  });
});

describe('broken profile files', () => {
  const dirWith = (name: string, edit: (text: string) => string): string => {
    const dir = mkdtempSync(join(tmpdir(), 'profiles-'));
    writeFileSync(join(dir, name), edit(readFileSync(join(PROFILE_DIR, 'hunan-2022.yaml'), 'utf8')));
    return dir;
  };

  it('name the file, the line and the field of a bad value', () => {
    const dir = dirWith('bad.yaml', (t) => t.replace('publicNotice: { amount: 5, unit: natural }', 'publicNotice: { amount: 5, unit: weeks }'));
    expect(() => loadProfiles(dir)).toThrow(PolicyFileError);
    expect(() => loadProfiles(dir)).toThrow(/bad\.yaml:\d+: limits\.publicNotice\.unit: /);
  });

  it('name the missing field', () => {
    const dir = dirWith('missing.yaml', (t) => t.replace(/^monthlyReportDay:.*$/m, ''));
    expect(() => loadProfiles(dir)).toThrow(/missing\.yaml: monthlyReportDay: required field is missing/);
    const nested = dirWith('nested.yaml', (t) => t.replace(/^ {2}assistancePlan:.*$/m, ''));
    expect(() => loadProfiles(nested)).toThrow(/nested\.yaml:\d+: limits\.assistancePlan: required field is missing/);
  });

  it('list every problem of a file at once', () => {
    const dir = dirWith('two.yaml', (t) => t.replace(/^monthlyReportDay:.*$/m, '').replace('approval: countyApprovesAndAnnounces', 'approval: county'));
    expect(() => loadProfiles(dir)).toThrow(/monthlyReportDay: required field is missing\n.*two\.yaml:\d+: approval: /);
  });

  it('refuse a month-unit public notice, an unknown field, and a report day past the 28th', () => {
    const month = dirWith('m.yaml', (t) => t.replace('publicNotice: { amount: 5, unit: natural }', 'publicNotice: { amount: 1, unit: month }'));
    expect(() => loadProfiles(month)).toThrow(/m\.yaml:\d+: limits\.publicNotice\.unit/);
    const extra = dirWith('x.yaml', (t) => `${t}\nsurprise: 1\n`);
    expect(() => loadProfiles(extra)).toThrow(/x\.yaml:\d+: .*surprise/);
    const day = dirWith('d.yaml', (t) => t.replace(/^monthlyReportDay: 28/m, 'monthlyReportDay: 31'));
    expect(() => loadProfiles(day)).toThrow(/d\.yaml:\d+: monthlyReportDay: /);
  });

  it('report YAML syntax errors with file and line', () => {
    const dir = dirWith('syntax.yaml', (t) => t.replace('version: 1', 'version: [1'));
    expect(() => loadProfiles(dir)).toThrow(/syntax\.yaml:\d+: /);
  });

  it('refuse two files with the same id@version', () => {
    const dir = dirWith('a.yaml', (t) => t);
    copyFileSync(join(dir, 'a.yaml'), join(dir, 'b.yaml'));
    expect(() => loadProfiles(dir)).toThrow(/b\.yaml: profile hunan-2022@1 is already defined in a\.yaml/);
  });
});

describe('selectProfile', () => {
  it('picks the most specific region in force', () => {
    expect(profileKey(selectProfile(profiles, '430621101201', '2026-03-01'))).toBe('hunan-2022@1');
    expect(profileKey(selectProfile(profiles, '410102', '2026-03-01'))).toBe('henan-2021@1');
    expect(profileKey(selectProfile(profiles, '440825', '2026-03-01'))).toBe('national-2022@1');
  });

  it('respects effective dates and refuses when nothing is in force', () => {
    expect(profileKey(selectProfile(profiles, '410102', '2021-06-01'))).toBe('henan-2021@1');
    expect(() => selectProfile(profiles, '430621', '2022-05-16')).toThrow(ProfileNotFoundError);
    expect(() => selectProfile(profiles, '440825', '2022-01-01')).toThrow(/area 440825 on 2022-01-01/);
    expect(() => selectProfile(profiles, '430621', '2026/03/01')).toThrow(RangeError);
  });

  it('switches to a new version on its effective date while old cases keep theirs by key', () => {
    const v2: PolicyProfile = { ...byId('hunan-2022'), version: 2, effectiveFrom: '2026-01-01' };
    const withV2 = [...profiles, v2];
    const opened = selectProfile(withV2, '430621', '2025-12-31');
    expect(profileKey(opened)).toBe('hunan-2022@1');
    expect(profileKey(selectProfile(withV2, '430621', '2026-01-01'))).toBe('hunan-2022@2');
    expect(findProfile(withV2, profileKey(opened))).toBe(opened);
    expect(findProfile(withV2, 'hunan-2022@9')).toBeUndefined();
  });

  it('prefers a county profile over its province', () => {
    const county: PolicyProfile = { ...byId('hunan-2022'), id: 'yueyang-2024', region: '430621', effectiveFrom: '2024-01-01' };
    expect(selectProfile([...profiles, county], '430621101', '2024-06-01').id).toBe('yueyang-2024');
    expect(selectProfile([...profiles, county], '430602', '2024-06-01').id).toBe('hunan-2022');
  });
});

describe('profile limits on the calendar', () => {
  const cal = loadWorkCalendar();

  it('computes Hunan and Henan notice ends and a working-day variant across the Spring Festival', () => {
    const hunan = byId('hunan-2022');
    expect(limitDeadline(cal, hunan, '2026-02-12', hunan.limits.publicNotice)).toBe('2026-02-17');
    expect(limitDeadline(cal, byId('henan-2021'), '2026-02-12', byId('henan-2021').limits.publicNotice)).toBe('2026-02-19');
    expect(limitDeadline(cal, hunan, '2026-02-12', { amount: 5, unit: 'working' })).toBe('2026-02-26');
    expect(limitDeadline(cal, hunan, '2026-01-20', hunan.limits.measureEntry)).toBe('2026-02-20');
  });

  it('moves a deadline off a holiday only when the profile says so', () => {
    const keep = byId('hunan-2022');
    const move: PolicyProfile = { ...keep, deadlineOnNonWorkingDay: 'nextWorkingDay' };
    expect(limitDeadline(cal, move, '2026-02-12', move.limits.publicNotice)).toBe('2026-02-24');
    expect(monthlyReportDue(cal, keep, '2026-03')).toBe('2026-03-28');
    expect(monthlyReportDue(cal, move, '2026-03')).toBe('2026-03-30'); // 3-28 is a Saturday
    expect(monthlyReportDue(cal, move, '2026-02')).toBe('2026-02-28'); // make-up Saturday: a working day
    expect(() => monthlyReportDue(cal, keep, '2026-13')).toThrow(RangeError);
  });
});
