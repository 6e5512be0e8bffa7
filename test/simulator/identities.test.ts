import { describe, expect, it } from 'vitest';
import { DEMO_ORG_FILE, loadOrgFile, parseOrg } from '../../src/org/org-file.js';
import { findHousehold, listIdentities } from '../../src/simulator/identities.js';

/** A county's own org file, nothing like the demo one. */
const CUSTOM_ORG = `
county:
  code: "410102"
  name: 中原区
  contact: { name: 中原区乡村振兴局, phone: "0371-7654321" }
  townships:
    - code: "410102001"
      name: 须水街道
      villages:
        - { code: "410102001201", name: 西岗村 }
staff:
  - { userId: zhangsan, name: 张三, roles: [cadre], areas: ["410102001201"] }
`;

describe('simulator identities', () => {
  it('places the demo households in the villages of the org in use, not the demo county', () => {
    const { households, staff } = listIdentities(parseOrg(CUSTOM_ORG));
    expect(households.map((h) => h.note)).toEqual(['须水街道西岗村', '须水街道西岗村', '须水街道西岗村']);
    expect(JSON.stringify(households)).not.toMatch(/青山镇|白水乡|桃源村/);
    expect(staff).toEqual([{ userId: 'zhangsan', name: '张三', roles: ['cadre'], areas: ['西岗村'] }]);
  });

  it('keeps the demo org as it was: three households in three villages', () => {
    const { households } = listIdentities(loadOrgFile(DEMO_ORG_FILE));
    expect(households).toEqual([
      { externalUserId: 'wmSimZhangDaye01', name: '张大爷', note: '青山镇桃源村' },
      { externalUserId: 'wmSimLiAyi02', name: '李阿姨', note: '青山镇柳塘村' },
      { externalUserId: 'wmSimWangDage03', name: '王大哥', note: '白水乡石门村' },
    ]);
    expect(findHousehold('wmSimLiAyi02')?.name).toBe('李阿姨');
    expect(findHousehold('constructor')).toBeUndefined();
  });
});
