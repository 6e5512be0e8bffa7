import type { Org, Role } from '../org/org.js';
import { refuse, type Refusal } from './refusals.js';

/**
 * Who may act when nobody holds any role a step allows for the case's village, nearest level first: the
 * township's reviewer, then the county's approver, then the county's admin. A step never waits for no one.
 * Only the first level with someone stands in (a county approver does not when the township has a reviewer).
 */
export const STAND_IN_ORDER: readonly Role[] = ['townshipReviewer', 'countyApprover', 'admin'];

/**
 * The role under which someone may act. `standsInFor`: they act only because nobody holds any of these roles
 * for the village (the step's allowed roles); the audit trail records it with the step.
 * @example { "ok": true, "role": "countyApprover", "standsInFor": ["villageSecretary", "townshipReviewer"] }
 */
export type Acting = { ok: true; role: Role; standsInFor?: Role[] };

/** The role under which `userId` may act on a case in `villageCode`, given the roles the step allows (or the stand-in role when nobody holds them there). */
export function actingRole(org: Org, userId: string, villageCode: string, allowed: readonly Role[]): Acting | Refusal {
  const staff = org.findStaff(userId);
  if (!staff) return refuse('actor.unknown', { userId });
  const held = allowed.filter((r) => staff.roles.includes(r));
  const role = held.find((r) => org.serves(staff, r, villageCode));
  if (role) return { ok: true, role };
  const standIn = standInRole(org, villageCode, allowed);
  if (standIn && org.serves(staff, standIn, villageCode)) return { ok: true, role: standIn, standsInFor: [...allowed] };
  if (held.length === 0) return refuse('actor.roleNotAllowed', { allowedRoles: [...allowed] });
  return refuse('actor.outsideArea', { villageCode, roles: held });
}

/** The role that stands in for a step in `villageCode` when nobody serves it in any `allowed` role; undefined when someone does (or nobody can). */
export function standInRole(org: Org, villageCode: string, allowed: readonly Role[]): Role | undefined {
  if (allowed.some((r) => org.staffServing(villageCode, r).length > 0)) return undefined;
  return STAND_IN_ORDER.filter((r) => !allowed.includes(r)).find((r) => org.staffServing(villageCode, r).length > 0);
}

/** The given user ids that are not cadres of the village (monitoring contacts and assignees must be). */
export function notVillageCadres(org: Org, userIds: readonly string[], villageCode: string): string[] {
  return userIds.filter((id) => {
    const staff = org.findStaff(id);
    return !staff || !org.serves(staff, 'cadre', villageCode);
  });
}
