import type { Org, Role } from '../org/org.js';

/** The one 微信客服 account households write to in the simulator. */
export const SIM_OPEN_KFID = 'wkSimHelpDesk01';

/**
 * Demo WeChat customers of the simulator (households are not on the roster: anyone may write to 微信客服).
 * @example { externalUserId: 'wmSimZhangDaye01', name: '张大爷', note: '青山镇桃源村' }
 */
export interface DemoHousehold {
  externalUserId: string;
  name: string;
  note: string;
}

export const DEMO_HOUSEHOLDS: readonly DemoHousehold[] = [
  { externalUserId: 'wmSimZhangDaye01', name: '张大爷', note: '青山镇桃源村' },
  { externalUserId: 'wmSimLiAyi02', name: '李阿姨', note: '青山镇柳塘村' },
  { externalUserId: 'wmSimWangDage03', name: '王大哥', note: '白水乡石门村' },
];

/** A staff member the page can act as. @example { userId: 'wangcadre', name: '王建国', roles: ['cadre'], areas: ['桃源村'] } */
export interface SimStaff {
  userId: string;
  name: string;
  roles: Role[];
  areas: string[];
}

/** Who the page offers: the demo households and everyone on the org roster. */
export function listIdentities(org: Org): { households: readonly DemoHousehold[]; staff: SimStaff[] } {
  const staff = org.file.staff.map((member) => ({
    userId: member.userId,
    name: member.name,
    roles: member.roles,
    areas: member.areas.map((code) => org.area(code)?.name ?? code),
  }));
  return { households: DEMO_HOUSEHOLDS, staff };
}

export function findHousehold(externalUserId: string): DemoHousehold | undefined {
  return DEMO_HOUSEHOLDS.find((h) => h.externalUserId === externalUserId);
}
