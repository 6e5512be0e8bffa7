import { describe, expect, it } from 'vitest';
import { shanghaiDate } from '../../src/policy/dates.js';
import type { PolicyProfile } from '../../src/policy/profile.js';
import { loadProfiles } from '../../src/policy/profile-loader.js';
import { profileWarnings } from '../../src/policy/profile-warnings.js';

const profiles = loadProfiles();
const byId = (id: string): PolicyProfile => profiles.find((p) => p.id === id)!;

describe('profileWarnings: a year without an income line does not pass unnoticed', () => {
  it('names the file and the setting of every profile in force without a line for the current year', () => {
    const warnings = profileWarnings(profiles, '2026-11-22');
    expect(warnings.map((w) => w.profileKey).sort()).toEqual(['henan-2021@1', 'hunan-2022@1', 'national-2022@1', 'pengshui-2021@1', 'xuwen-2021@1']);
    expect(warnings.find((w) => w.profileKey === 'hunan-2022@1')).toEqual({
      profileKey: 'hunan-2022@1',
      file: 'config/profiles/hunan-2022.yaml',
      setting: 'incomeThreshold.perYear."2026"',
      year: 2026,
      message: 'config/profiles/hunan-2022.yaml: incomeThreshold.perYear."2026" is not set — eliminations in 2026 cannot be judged until it is',
    });
  });

  it('is quiet for a profile that has the year, and for one not yet in force', () => {
    expect(profileWarnings(profiles, '2023-06-01').map((w) => w.profileKey)).not.toContain('hunan-2022@1'); // 7500 for 2023
    expect(profileWarnings(profiles, '2021-08-01')).toEqual([]); // Henan, Xuwen and Pengshui have 2021; Hunan and national start in 2022
    const later: PolicyProfile = { ...byId('hunan-2022'), version: 2, effectiveFrom: '2027-01-01' };
    expect(profileWarnings([later], '2026-11-22')).toEqual([]);
    expect(profileWarnings([later], '2027-01-01').map((w) => w.setting)).toEqual(['incomeThreshold.perYear."2027"']);
  });

  it('goes by the date in China: the year turns at Shanghai midnight', () => {
    const withLine2023 = [byId('hunan-2022')];
    expect(profileWarnings(withLine2023, shanghaiDate(new Date('2023-12-31T15:59:00Z')))).toEqual([]);
    expect(profileWarnings(withLine2023, shanghaiDate(new Date('2023-12-31T16:00:00Z'))).map((w) => w.year)).toEqual([2024]);
  });

  it('says what is at stake, and names a profile built in code by its key', () => {
    const notBlocking: PolicyProfile = { ...byId('hunan-2022'), file: undefined, elimination: { ...byId('hunan-2022').elimination, blockIfIncomeBelowLine: false } };
    expect(profileWarnings([notBlocking], '2026-01-01')[0]!.message).toBe(
      'profile hunan-2022@1: incomeThreshold.perYear."2026" is not set — the 2026 monitoring line is unknown until it is',
    );
    expect(() => profileWarnings(profiles, '2026/01/01')).toThrow(RangeError);
  });
});
