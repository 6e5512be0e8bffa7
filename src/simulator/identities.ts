import type { Org, Role } from '../org/org.js';

/** The one 微信客服 account households write to in the simulator. */
export const SIM_OPEN_KFID = 'wkSimHelpDesk01';

/**
 * A demo WeChat customer of the simulator (households are not on the roster: anyone may write to 微信客服).
 * `note` is the place they live, taken from the org in use.
 * @example { externalUserId: 'wmSimZhangDaye01', name: '张大爷', note: '青山镇桃源村' }
 */
export interface DemoHousehold {
  externalUserId: string;
  name: string;
  note: string;
}

/** Who the demo households are; where they live depends on the org (a custom ORG_FILE has its own villages). */
const DEMO_PEOPLE: readonly Omit<DemoHousehold, 'note'>[] = [
  { externalUserId: 'wmSimZhangDaye01', name: '张大爷' },
  { externalUserId: 'wmSimLiAyi02', name: '李阿姨' },
  { externalUserId: 'wmSimWangDage03', name: '王大哥' },
];

/** The demo households, each placed in a village of `org`, in the org file's order (the first three villages). */
export function demoHouseholds(org: Org): DemoHousehold[] {
  const villages = org.file.county.townships.flatMap((t) => t.villages.map((v) => v.code));
  return DEMO_PEOPLE.map((person, i) => ({ ...person, note: org.placeName(villages[i % villages.length]!) }));
}

/** A staff member the page can act as. @example { userId: 'wangcadre', name: '王建国', roles: ['cadre'], areas: ['桃源村'] } */
export interface SimStaff {
  userId: string;
  name: string;
  roles: Role[];
  areas: string[];
}

/** Who the page offers: the demo households and everyone on the org roster. */
export function listIdentities(org: Org): { households: DemoHousehold[]; staff: SimStaff[] } {
  const staff = org.file.staff.map((member) => ({
    userId: member.userId,
    name: member.name,
    roles: member.roles,
    areas: member.areas.map((code) => org.area(code)?.name ?? code),
  }));
  return { households: demoHouseholds(org), staff };
}

export function findHousehold(externalUserId: string): Omit<DemoHousehold, 'note'> | undefined {
  return DEMO_PEOPLE.find((h) => h.externalUserId === externalUserId);
}
