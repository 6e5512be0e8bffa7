import { z } from 'zod';
import { PROFILE_NAME } from '../policy/profile-select.js';

/** Staff roles (glossary): what a WeCom member may do, always within their areas. */
export const ROLES = ['cadre', 'villageSecretary', 'townshipReviewer', 'countyApprover', 'admin'] as const;
export type Role = (typeof ROLES)[number];

const areaCode = z.string().regex(/^[0-9A-Za-z_-]{1,32}$/, 'must be 1–32 letters, digits, _ or -');
const name = z.string().trim().min(1).max(40);

const groupSchema = z.object({ code: areaCode, name });
const villageSchema = z.object({ code: areaCode, name, groups: z.array(groupSchema).default([]) });
const townshipSchema = z.object({ code: areaCode, name, villages: z.array(villageSchema).min(1) });

export const orgFileSchema = z
  .object({
    /**
     * The policy profile new cases open under, `id` or `id@version` (config/profiles); chosen by the county's
     * area code when unset. The POLICY_PROFILE variable, when set, wins over it.
     */
    policyProfile: z.string().regex(PROFILE_NAME, 'must be a profile id like hunan-2022, or id@version like hunan-2022@1').optional(),
    county: z.object({
      code: areaCode,
      name,
      /** Whom a sender the service does not know should contact. */
      contact: z.object({ name, phone: z.string().regex(/^[0-9+\- ]{5,20}$/, 'must be a phone number') }),
      townships: z.array(townshipSchema).min(1),
    }),
    staff: z
      .array(
        z.object({
          userId: z.string().regex(/^[A-Za-z0-9_.@-]{1,64}$/, 'must be the WeCom UserID'),
          name,
          roles: z.array(z.enum(ROLES)).min(1),
          /** Area codes this person serves (village for cadres and secretaries, township, or county). */
          areas: z.array(areaCode).min(1),
          /** SHA-256 (hex) of this person's own admin-API token: the API then shows and changes only their areas. */
          apiTokenSha256: z.string().regex(/^[0-9a-fA-F]{64}$/, 'must be the SHA-256 of the token, 64 hex digits').optional(),
          /** Work phone a household may call (shown to households, never logged). */
          phone: z.string().regex(/^[0-9+\- ]{5,20}$/, 'must be a phone number').optional(),
        }),
      )
      .default([]),
  })
  .strict();

export type OrgFile = z.infer<typeof orgFileSchema>;
export type StaffMember = OrgFile['staff'][number];

export type AreaLevel = 'county' | 'township' | 'village' | 'group';

/** The level of area each role serves: a village secretary's area is a village, a reviewer's a township. */
export const ROLE_LEVEL: Record<Role, AreaLevel> = {
  cadre: 'village',
  villageSecretary: 'village',
  townshipReviewer: 'township',
  countyApprover: 'county',
  admin: 'county',
};
export interface Area {
  code: string;
  name: string;
  level: AreaLevel;
  parent?: string;
}

/** The area tree and staff roster, indexed for lookups. Immutable; a change builds a new one. */
export class Org {
  private readonly areas = new Map<string, Area>();
  private readonly staff = new Map<string, StaffMember>();

  constructor(readonly file: OrgFile) {
    const { county } = file;
    this.add({ code: county.code, name: county.name, level: 'county' });
    for (const t of county.townships) {
      this.add({ code: t.code, name: t.name, level: 'township', parent: county.code });
      for (const v of t.villages) {
        this.add({ code: v.code, name: v.name, level: 'village', parent: t.code });
        for (const g of v.groups) this.add({ code: g.code, name: g.name, level: 'group', parent: v.code });
      }
    }
    for (const member of file.staff) {
      if (this.staff.has(member.userId.toLowerCase())) throw new Error(`staff ${member.userId}: listed twice`);
      for (const code of member.areas) if (!this.areas.has(code)) throw new Error(`staff ${member.userId}: unknown area "${code}"`);
      // WeCom lower-cases UserIDs in some answers; compare case-insensitively.
      this.staff.set(member.userId.toLowerCase(), member);
    }
  }

  private add(area: Area): void {
    if (this.areas.has(area.code)) throw new Error(`area ${area.code}: code used twice`);
    this.areas.set(area.code, area);
  }

  get contact(): { name: string; phone: string } {
    return this.file.county.contact;
  }

  findStaff(userId: string): StaffMember | undefined {
    return this.staff.get(userId.toLowerCase());
  }

  area(code: string): Area | undefined {
    return this.areas.get(code);
  }

  /** The area and its ancestors up to the county, nearest first. */
  lineage(code: string): Area[] {
    const out: Area[] = [];
    for (let a = this.areas.get(code); a; a = a.parent ? this.areas.get(a.parent) : undefined) out.push(a);
    return out;
  }

  /** True when `code` is `scope` itself or lies below it. */
  contains(scope: string, code: string): boolean {
    return this.lineage(code).some((a) => a.code === scope);
  }

  /**
   * Whether `member`, acting as `role`, serves `code`: one of their areas is of the role's level and
   * contains `code`. A secretary wrongly listed for a township does not serve its villages.
   */
  serves(member: StaffMember, role: Role, code: string): boolean {
    return member.roles.includes(role) && member.areas.some((a) => this.area(a)?.level === ROLE_LEVEL[role] && this.contains(a, code));
  }

  /** The level of area a role serves (ROLE_LEVEL), for code that takes the org as a type only. */
  levelOf(role: Role): AreaLevel {
    return ROLE_LEVEL[role];
  }

  /** Staff who serve `code` as `role`, roster order. */
  staffServing(code: string, role: Role): StaffMember[] {
    return this.file.staff.filter((m) => this.serves(m, role, code));
  }

  /** An area by the names below the county, from the top: 青山镇桃源村一组. */
  placeName(code: string): string {
    return this.lineage(code).filter((a) => a.level !== 'county').reverse().map((a) => a.name).join('');
  }

  /** Every area of `level` below `code`. */
  descendants(code: string, level: AreaLevel): Area[] {
    return [...this.areas.values()].filter((a) => a.level === level && a.code !== code && this.contains(code, a.code));
  }

  children(code: string): Area[] {
    return [...this.areas.values()].filter((a) => a.parent === code);
  }
}
