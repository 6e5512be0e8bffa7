import type { Org, Role } from '../org/org.js';
import type { PolicyProfile } from '../policy/profile.js';
import type { ActionType } from './actions.js';
import { movesFor } from './moves.js';
import { standInRole } from './permissions.js';

/**
 * A role the procedure needs that nobody holds for an area (a village for village roles, a township for its
 * reviewer, the county for its approver), with the steps it leaves to a stand-in or to no one.
 * @example { "areaCode": "430621102201", "place": "白水乡石门村", "role": "villageSecretary",
 *   "standIns": [{ "action": "acceptLead", "role": "countyApprover" }], "unstaffed": [],
 *   "message": "白水乡石门村 (430621102201): nobody holds villageSecretary — the countyApprover stands in for acceptLead; add one to the org file's staff" }
 */
export interface StaffingGap {
  areaCode: string;
  place: string;
  role: Role;
  /** Steps that allow the role and that, in some village of the area, nobody holds another allowed role for: who stands in. */
  standIns: { action: ActionType; role: Role }[];
  /** Steps nobody at all may take in some village of the area (no stand-in either). */
  unstaffed: ActionType[];
  message: string;
}

/**
 * Every role the profile's awaited steps allow that nobody holds for an area of the org, per area. A gap whose
 * steps another allowed role covers everywhere still shows (the work lands on fewer people), with no stand-ins.
 * Pure: the caller logs the messages at startup and lists them on /readyz.
 */
export function staffingGaps(org: Org, profile: PolicyProfile): StaffingGap[] {
  const moves = movesFor(profile).filter((m) => m.awaited);
  const needed = [...new Set(moves.flatMap((m) => m.roles))];
  const villages = org.file.county.townships.flatMap((t) => t.villages.map((v) => v.code));
  const gaps: StaffingGap[] = [];
  for (const role of needed) {
    const county = org.file.county.code;
    const level = org.levelOf(role);
    const areas = level === 'county' ? [county] : org.descendants(county, level).map((a) => a.code);
    for (const areaCode of areas.filter((code) => org.staffServing(code, role).length === 0)) {
      const within = villages.filter((v) => org.contains(areaCode, v));
      const standIns = new Map<ActionType, Role>();
      const unstaffed = new Set<ActionType>();
      for (const move of moves.filter((m) => m.roles.includes(role))) {
        for (const village of within) {
          if (move.roles.some((r) => org.staffServing(village, r).length > 0)) continue;
          const standIn = standInRole(org, village, move.roles);
          if (standIn) standIns.set(move.action, standIn);
          else unstaffed.add(move.action);
        }
      }
      const place = org.placeName(areaCode) || (org.area(areaCode)?.name ?? areaCode);
      const gap = { areaCode, place, role, standIns: [...standIns].map(([action, by]) => ({ action, role: by })), unstaffed: [...unstaffed] };
      gaps.push({ ...gap, message: describeGap(gap) });
    }
  }
  return gaps;
}

function describeGap(gap: Omit<StaffingGap, 'message'>): string {
  const byRole = new Map<Role, ActionType[]>();
  for (const s of gap.standIns) byRole.set(s.role, [...(byRole.get(s.role) ?? []), s.action]);
  const parts = [
    ...[...byRole].map(([role, actions]) => `the ${role} stands in for ${actions.join(', ')}`),
    ...(gap.unstaffed.length > 0 ? [`nobody at all may take ${gap.unstaffed.join(', ')}`] : []),
  ];
  const consequence = parts.length > 0 ? parts.join('; ') : 'its steps fall to the other roles allowed';
  return `${gap.place} (${gap.areaCode}): nobody holds ${gap.role} — ${consequence}; add one to the org file's staff`;
}
