import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_ORG_FILE, loadOrgFile, parseOrg } from '../../src/org/org-file.js';
import { Org } from '../../src/org/org.js';
import { ManualClock } from '../../src/shared/clock.js';
import { FakeWeComState } from '../../src/simulator/fake-wecom-state.js';
import { loadProfiles, profileChooser, ProfileChoiceError, profileKey, type PolicyProfile } from '../../src/policy/index.js';
import { casesOn } from '../helpers/case-world.js';
import { householdSays } from '../helpers/staff-chat.js';
import { startTestService, TEST_NOW, type TestService } from '../helpers/test-app.js';
import { VECTOR_CRYPTO } from '../helpers/vectors.js';

const profiles = loadProfiles();
const hunanV2: PolicyProfile = { ...profiles.find((p) => p.id === 'hunan-2022')!, version: 2, effectiveFrom: '2027-01-01' };
/** The declaration by chat (青山镇桃源村一组, the demo county 430621 in Hunan). */
const DECLARATION = ['申报', '张德福', '430621195805121238', '13812345678', '1', '1', '1', '3', '1', '6', '老伴尿毒症每周透析，每月自付两千多元。', '说完了', '是', '是', '1'];

const running: TestService[] = [];
afterEach(async () => {
  for (const svc of running.splice(0)) await svc.close();
});

describe('profileChooser', () => {
  it('chooses by area code when nothing is named', () => {
    expect(profileKey(profileChooser(profiles)('430621101201', '2026-03-01'))).toBe('hunan-2022@1');
    expect(profileKey(profileChooser(profiles)('410102', '2026-03-01'))).toBe('henan-2021@1');
  });

  it('takes a named profile whatever the area code: by id the newest version in force, by id@version that one', () => {
    expect(profileKey(profileChooser(profiles, 'national-2022')('430621101201', '2026-03-01'))).toBe('national-2022@1');
    const withV2 = [...profiles, hunanV2];
    expect(profileKey(profileChooser(withV2, 'hunan-2022')('410102', '2026-12-31'))).toBe('hunan-2022@1');
    expect(profileKey(profileChooser(withV2, 'hunan-2022')('410102', '2027-01-01'))).toBe('hunan-2022@2');
    expect(profileKey(profileChooser(withV2, 'hunan-2022@1')('410102', '2027-01-01'))).toBe('hunan-2022@1');
  });

  it('refuses an unknown name at once, listing the profiles there are', () => {
    for (const name of ['hunan-2021', 'hunan-2022@9', 'Hunan-2022', 'constructor', '__proto__']) {
      expect(() => profileChooser(profiles, name), name).toThrow(ProfileChoiceError);
    }
    expect(() => profileChooser(profiles, 'hunan-2021')).toThrow(/no policy profile "hunan-2021"; write one of: .*hunan-2022@1 \(湖南省/);
  });

  it('the org file may name it; a malformed name is refused with the file', () => {
    const demo = loadOrgFile(DEMO_ORG_FILE);
    expect(demo.file.policyProfile).toBeUndefined();
    const yaml = (name: string) => `policyProfile: "${name}"\ncounty: { code: "1", name: 县, contact: { name: 局, phone: "12345" }, townships: [{ code: "2", name: 乡, villages: [{ code: "3", name: 村 }] }] }\n`;
    expect(parseOrg(yaml('national-2022@1')).file.policyProfile).toBe('national-2022@1');
    expect(() => parseOrg(yaml('national 2022'), 'org.yaml')).toThrow(/org\.yaml.*policyProfile/s);
  });
});

describe('a county that names its profile', () => {
  it('opens its cases under the named profile, not the one its area code would choose', async () => {
    const org = new Org({ ...loadOrgFile(DEMO_ORG_FILE).file, policyProfile: 'national-2022' });
    const clock = new ManualClock(TEST_NOW);
    const fake = new FakeWeComState({ corpId: VECTOR_CRYPTO.corpId, secret: 'test-app-secret' });
    fake.now = () => clock.now().getTime();
    const svc = await startTestService({ org, clock, fake });
    running.push(svc);
    let last: string[] = [];
    for (const text of DECLARATION) last = await householdSays(svc, 'wmHousehold01', text);
    expect(last.join('\n')).toContain('20261122-0001');
    const record = await (await casesOn(svc.docs, org)).repo.byNumber('20261122-0001');
    expect(record?.procedure.profileKey).toBe('national-2022@1');
  });

  it('does not start with a profile name that matches none', async () => {
    const org = new Org({ ...loadOrgFile(DEMO_ORG_FILE).file, policyProfile: 'hunan-2021' });
    await expect(startTestService({ org })).rejects.toThrow(ProfileChoiceError);
  });
});
