import type { Org, Role } from '../org/org.js';
import { refuse, type Refusal } from './refusals.js';

/** The role under which `userId` may act on a case in `villageCode`, given the roles the step allows. */
export function actingRole(org: Org, userId: string, villageCode: string, allowed: readonly Role[]): { ok: true; role: Role } | Refusal {
  const staff = org.findStaff(userId);
  if (!staff) return refuse('actor.unknown', { userId });
  const held = allowed.filter((r) => staff.roles.includes(r));
  if (held.length === 0) return refuse('actor.roleNotAllowed', { allowedRoles: [...allowed] });
  const role = held.find((r) => org.serves(staff, r, villageCode));
  if (!role) return refuse('actor.outsideArea', { villageCode, roles: held });
  return { ok: true, role };
}

/** The given user ids that are not cadres of the village (monitoring contacts and assignees must be). */
export function notVillageCadres(org: Org, userIds: readonly string[], villageCode: string): string[] {
  return userIds.filter((id) => {
    const staff = org.findStaff(id);
    return !staff || !org.serves(staff, 'cadre', villageCode);
  });
}
