import type { AreaLevel, Org, Role, StaffMember } from '../org/org.js';
import { refuse, type Refusal } from './refusals.js';

/** The level of area each role serves: a village secretary's area is a village, a reviewer's a township. */
export const ROLE_LEVEL: Record<Role, AreaLevel> = {
  cadre: 'village',
  villageSecretary: 'village',
  townshipReviewer: 'township',
  countyApprover: 'county',
  admin: 'county',
};

/**
 * Whether `staff`, acting as `role`, serves the household's village: one of their areas is of the role's
 * level and contains the village. A secretary listed for a township does not serve its villages.
 */
export function serves(org: Org, staff: StaffMember, role: Role, villageCode: string): boolean {
  return (
    staff.roles.includes(role) &&
    staff.areas.some((code) => org.area(code)?.level === ROLE_LEVEL[role] && org.contains(code, villageCode))
  );
}

/** The role under which `userId` may act on a case in `villageCode`, given the roles the step allows. */
export function actingRole(org: Org, userId: string, villageCode: string, allowed: readonly Role[]): { ok: true; role: Role } | Refusal {
  const staff = org.findStaff(userId);
  if (!staff) return refuse('actor.unknown', { userId });
  const held = allowed.filter((r) => staff.roles.includes(r));
  if (held.length === 0) return refuse('actor.roleNotAllowed', { allowedRoles: [...allowed] });
  const role = held.find((r) => serves(org, staff, r, villageCode));
  if (!role) return refuse('actor.outsideArea', { villageCode, roles: held });
  return { ok: true, role };
}

/** The given user ids that are not cadres of the village (monitoring contacts and assignees must be). */
export function notVillageCadres(org: Org, userIds: readonly string[], villageCode: string): string[] {
  return userIds.filter((id) => {
    const staff = org.findStaff(id);
    return !staff || !serves(org, staff, 'cadre', villageCode);
  });
}
