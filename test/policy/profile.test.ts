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
import { ASSISTANCE_MEASURE_CATEGORIES, BASIC_GUARANTEES, MONITORED_CATEGORIES, RISK_TYPES } from '../../src/policy/code-lists.js';
import { incomeWindowFor } from '../../src/policy/income-window.js';

const profiles = loadProfiles();
const byId = (id: string): PolicyProfile => {
  const p = profiles.find((x) => x.id === id);
  if (!p) throw new Error(`no ${id}`);
  return p;
};

describe('shipped profiles', () => {
  it('load and validate', () => {
    expect(profiles.map(profileKey).sort()).toEqual(['henan-2021@1', 'hunan-2022@1', 'national-2022@1', 'pengshui-2021@1', 'xuwen-2021@1']);
    expect(profiles.map((p) => p.file).sort()).toEqual(profiles.map((p) => `config/profiles/${p.id}.yaml`).sort());
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
    expect(profileKey(selectProfile(profiles, '440825105201', '2026-03-01'))).toBe('xuwen-2021@1');
    expect(profileKey(selectProfile(profiles, '500243', '2026-03-01'))).toBe('pengshui-2021@1');
    expect(profileKey(selectProfile(profiles, '440105', '2026-03-01'))).toBe('national-2022@1'); // Guangzhou: no profile of its own
  });

  it('respects effective dates and refuses when nothing is in force', () => {
    expect(profileKey(selectProfile(profiles, '410102', '2021-06-01'))).toBe('henan-2021@1');
    expect(() => selectProfile(profiles, '430621', '2022-05-16')).toThrow(ProfileNotFoundError);
    expect(() => selectProfile(profiles, '440105', '2022-01-01')).toThrow(/area 440105 on 2022-01-01/);
    expect(() => selectProfile(profiles, '440825', '2021-04-30')).toThrow(/area 440825 on 2021-04-30/);
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

describe('the seeds as profiles', () => {
  const henanText = readFileSync(join(PROFILE_DIR, 'henan-2021.yaml'), 'utf8');
  /** The comment lines right above a key, and the key's own line. */
  const aboutKey = (text: string, key: RegExp): string => {
    const lines = text.split('\n');
    const at = lines.findIndex((l) => key.test(l));
    expect(at, `key ${key}`).toBeGreaterThan(-1);
    let from = at;
    while (from > 0 && lines[from - 1]!.trimStart().startsWith('#')) from--;
    return lines.slice(from, at + 1).join('\n');
  };

  it('Henan 2021: elimination by the village appraisal and notice, with no home visit and no household signature (seed000 三（四）2)', () => {
    const p = byId('henan-2021');
    expect(p.elimination).toMatchObject({ homeVerification: false, householdAgreement: false, villageAppraisal: true });
    expect(p.identification).toEqual({ homeVerification: true, villageAppraisal: true });
    // Where seed000 is silent, the file says the value is borrowed, key by key.
    expect(aboutKey(henanText, /^ {2}homeVerification: true/)).toContain('national guideline (borrowed)');
    expect(aboutKey(henanText, /^ {2}skipFor:/)).toContain('national guideline (borrowed)');
    expect(aboutKey(henanText, /^ {2}identification: \{/)).toContain('national guideline (borrowed)');
    expect(aboutKey(henanText, /^ {2}publicNotice: \{/)).toContain('"公示时间不少于7天"');
    expect(henanText).not.toContain('national default');
  });

  it('Xuwen 2021: the township decides after visit and cross-check, with no village appraisal or notice; 9600元 disposable income', () => {
    const p = byId('xuwen-2021');
    expect(p.region).toBe('440825');
    expect(p.approval).toBe('townshipDecidesCountyFiles');
    expect(p.identification.villageAppraisal).toBe(false);
    expect(p.dataCrossCheck.timing).toBe('beforeAppraisal');
    expect(p.elimination).toMatchObject({ homeVerification: true, householdAgreement: false, villageAppraisal: false });
    expect(p.incomeThreshold.basis).toBe('disposableIncomePerCapita');
    expect(incomeThresholdFor(p, 2021)).toBe(9600);
    expect(p.incomeWindow).toEqual({ yearStartsInMonth: 12, projectToFullYear: true });
    expect(p.codeLists.householdCategories.map((c) => c.label)).toEqual(['脱贫不稳定人口', '边缘易致贫人口']);
    expect(p.codeLists.measureCategories.at(-1)).toEqual({ id: 'other', label: '其他帮扶' });
  });

  it('Pengshui 2021: the national 6000元, two household categories, its own risk points and the eleven measure categories of D3', () => {
    const p = byId('pengshui-2021');
    expect(p.region).toBe('500243');
    expect(incomeThresholdFor(p, 2021)).toBe(6000);
    expect(p.codeLists.householdCategories.map((c) => c.id)).toEqual(['unstableLifted', 'marginalAtRisk']);
    expect(p.codeLists.riskTypes).toEqual(
      expect.arrayContaining([
        { id: 'lackOfMotivation', label: '自身发展动力不足' },
        { id: 'epidemic', label: '因疫情' },
        { id: 'suddenEvent', label: '因突发事件' },
      ]),
    );
    expect(p.codeLists.measureCategories.map((m) => m.label).join('、')).toBe(
      '产业帮扶、就业帮扶、金融帮扶、生态帮扶、公益岗位帮扶、教育帮扶、健康帮扶、生活条件改善、基础设施建设、综合保障、扶志扶智',
    );
    // The Hunan-era points are not offered where they do not apply.
    expect(byId('hunan-2022').codeLists.riskTypes.map((r) => r.id)).not.toContain('epidemic');
  });

  it('Hunan and the national default print the form numbers: ②住房安全保障风险, ⑥因病 … ⑭其他', () => {
    for (const id of ['hunan-2022', 'national-2022']) {
      const lists = byId(id).codeLists;
      expect(lists.basicGuarantees).toContainEqual({ id: 'housing', label: '②住房安全保障风险' });
      expect(lists.riskTypes.map((r) => r.label)).toEqual(['⑥因病', '⑦因学', '⑧因残', '⑨因自然灾害', '⑩因意外事故', '⑪因产业项目失败', '⑫因务工就业不稳', '⑬缺劳动力', '⑭其他']);
    }
    expect(byId('henan-2021').codeLists.measureCategories.map((m) => m.label)).toEqual(
      expect.arrayContaining(['社会帮扶', '小额信贷', '精准保险', '扶志扶智']),
    );
  });

  it('every code of every list has an English label, and every profile list draws on the union the procedure accepts', () => {
    const en = JSON.parse(readFileSync(join(PROFILE_DIR, '../../templates/en/staff.json'), 'utf8')) as { codeList: Record<string, Record<string, string>> };
    const unions = { householdCategory: MONITORED_CATEGORIES, riskType: RISK_TYPES, basicGuarantee: BASIC_GUARANTEES, measureCategory: ASSISTANCE_MEASURE_CATEGORIES };
    for (const [list, ids] of Object.entries(unions)) expect(Object.keys(en.codeList[list]!).sort(), list).toEqual([...ids].sort());
    for (const p of profiles) {
      for (const m of p.codeLists.measureCategories) expect(ASSISTANCE_MEASURE_CATEGORIES).toContain(m.id);
    }
  });
});

describe('profile steps and code lists in the file', () => {
  const dirWith = (name: string, edit: (text: string) => string): string => {
    const dir = mkdtempSync(join(tmpdir(), 'profiles-'));
    writeFileSync(join(dir, name), edit(readFileSync(join(PROFILE_DIR, 'hunan-2022.yaml'), 'utf8')));
    return dir;
  };

  it('refuses a cross-check during a notice that a profile without village appraisal never posts', () => {
    const dir = dirWith('no-notice.yaml', (t) => t.replace(/^( {2}villageAppraisal: )true( +# "村\(居\)评议)/m, '$1false$2'));
    expect(() => loadProfiles(dir)).toThrow(/no-notice\.yaml:\d+: dataCrossCheck\.timing: duringNotice needs a village notice/);
  });

  it('refuses an unknown code and a code listed twice, naming the list', () => {
    const unknown = dirWith('u.yaml', (t) => t.replace('{ id: illness, label: ⑥因病 }', '{ id: ill, label: ⑥因病 }'));
    expect(() => loadProfiles(unknown)).toThrow(/u\.yaml:\d+: codeLists\.riskTypes\.0\.id: /);
    const twice = dirWith('t.yaml', (t) => t.replace('{ id: schooling, label: ⑦因学 }', '{ id: illness, label: ⑦因学 }'));
    expect(() => loadProfiles(twice)).toThrow(/t\.yaml:\d+: codeLists\.riskTypes: lists an id twice/);
  });
});

describe('incomeWindowFor', () => {
  const xuwen = byId('xuwen-2021').incomeWindow;

  it('Xuwen: from last December to the current month, projected to the year December–November (seed001 四（四）)', () => {
    expect(incomeWindowFor(xuwen, '2021-05')).toEqual({ from: '2020-12', to: '2021-05', projectedTo: '2021-11' });
    expect(incomeWindowFor(xuwen, '2021-01')).toEqual({ from: '2020-12', to: '2021-01', projectedTo: '2021-11' });
    expect(incomeWindowFor(xuwen, '2021-11')).toEqual({ from: '2020-12', to: '2021-11', projectedTo: '2021-11' });
    expect(incomeWindowFor(xuwen, '2021-12')).toEqual({ from: '2021-12', to: '2021-12', projectedTo: '2022-11' });
  });

  it('without a rule: the calendar year so far, projected to December', () => {
    expect(incomeWindowFor(byId('hunan-2022').incomeWindow, '2026-03')).toEqual({ from: '2026-01', to: '2026-03', projectedTo: '2026-12' });
    expect(incomeWindowFor({ yearStartsInMonth: 1, projectToFullYear: false }, '2026-03')).toEqual({ from: '2026-01', to: '2026-03' });
    expect(() => incomeWindowFor(xuwen, '2021-13')).toThrow(RangeError);
  });
});
