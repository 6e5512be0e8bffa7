import { createHash, timingSafeEqual } from 'node:crypto';
import type { Org, StaffMember } from '../org/org.js';

/**
 * Who calls the admin API. The ADMIN_TOKEN holder acts for the whole county (the county's system clerk);
 * a staff member with their own API token (`apiTokenSha256` in the org file) sees and changes only their areas.
 * @example { "kind": "staff", "member": { "userId": "chentownship", "roles": ["townshipReviewer"], "areas": ["430621101"] } }
 */
export type AdminPrincipal = { kind: 'county' } | { kind: 'staff'; member: StaffMember };

function sameSecret(a: string, b: string): boolean {
  const x = createHash('sha256').update(a).digest();
  const y = createHash('sha256').update(b).digest();
  return timingSafeEqual(x, y);
}

/** The caller a bearer token stands for; undefined when it stands for no one. */
export function principalOf(authorization: string | undefined, adminToken: string | undefined, org: Org): AdminPrincipal | undefined {
  const match = /^Bearer\s+(\S{16,256})$/i.exec(authorization ?? '');
  if (!match) return undefined;
  const token = match[1]!;
  if (adminToken && sameSecret(token, adminToken)) return { kind: 'county' };
  const digest = createHash('sha256').update(token).digest('hex');
  const member = org.file.staff.find((m) => m.apiTokenSha256 !== undefined && sameSecret(m.apiTokenSha256.toLowerCase(), digest));
  return member ? { kind: 'staff', member } : undefined;
}

/** The area codes a caller may see: the county for the county's clerk, their own areas for a staff member. */
export function scopeOf(principal: AdminPrincipal, org: Org): string[] {
  return principal.kind === 'county' ? [org.file.county.code] : principal.member.areas;
}

/** Whether `code` (a village, township …) lies in what the caller may see. */
export function mayAccess(principal: AdminPrincipal, org: Org, code: string): boolean {
  return scopeOf(principal, org).some((scope) => org.contains(scope, code));
}
