import { describe, expect, it } from 'vitest';
import { DEMO_ORG_FILE, loadOrgFile, parseOrg } from '../src/org/org-file.js';

const base = `county:
  code: "1"
  name: 示范县
  contact: { name: 县乡村振兴局, phone: "0730-1234567" }
  townships:
    - code: "11"
      name: 青山镇
      villages:
        - code: "111"
          name: 桃源村
          groups: [{ code: "111-1", name: 一组 }]
`;

function error(text: string): string {
  try {
    parseOrg(text, 'org.yaml');
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('expected the org file to be refused');
}

describe('the org file (areas and staff)', () => {
  it('loads the demo organisation and finds staff case-insensitively', () => {
    const org = loadOrgFile(DEMO_ORG_FILE);
    expect(org.findStaff('WangCadre')?.roles).toEqual(['cadre']);
    expect(org.lineage('430621101201-02').map((a) => a.level)).toEqual(['group', 'village', 'township', 'county']);
    expect(org.contains('430621101', '430621101201')).toBe(true);
    expect(org.contains('430621102', '430621101201')).toBe(false);
  });

  it('names the line and the field of a bad value', () => {
    expect(error(base.replace('"0730-1234567"', 'call me'))).toBe('org.yaml:4: county.contact.phone: must be a phone number');
    expect(error(`${base}staff:\n  - { userId: a, name: 甲, roles: [chief], areas: ["111"] }\n`)).toMatch(/^org\.yaml:13: staff\.0\.roles\.0: /);
  });

  it('refuses staff serving an unknown area, duplicate staff and duplicate area codes', () => {
    expect(error(`${base}staff:\n  - { userId: a, name: 甲, roles: [cadre], areas: ["999"] }\n`)).toContain('staff a: unknown area "999"');
    expect(error(`${base}staff:\n  - { userId: a, name: 甲, roles: [cadre], areas: ["111"] }\n  - { userId: A, name: 乙, roles: [cadre], areas: ["111"] }\n`)).toContain('staff A: listed twice');
    expect(error(base.replace('"111-1"', '"11"'))).toContain('area 11: code used twice');
  });

  it('reports YAML syntax errors with their line', () => {
    expect(error('county:\n  code: "1\n')).toMatch(/^org\.yaml:\d+: /);
  });
});
