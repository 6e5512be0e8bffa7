import { z } from 'zod';
import type { Answers } from '../engine/events.js';
import type { Area, Org, StaffMember } from '../org/org.js';
import { addNaturalDays, isIsoDate, shanghaiDate } from '../policy/dates.js';
import type { LeadSource } from '../procedure/case-snapshot.js';
import { LEAD_RECORDERS } from '../procedure/open-case.js';
import { DeclarationError, householdAnswersSchema, type DeclarationService, type OpenResult } from './declaration-service.js';

/**
 * How far back a staff member may date a lead: 60 days. Leads come from the monthly checks (定期排查, reported
 * by the 28th), so an honest late entry is one found in last month's check and entered after this month's:
 * about two cycles. An earlier date is almost always a wrong year or month, and would open a case whose 15-day
 * identification limit ran out weeks ago; such a lead goes through the township on paper.
 */
export const LEAD_LOOKBACK_DAYS = 60;

/** The flow each kind of staff-entered lead is filled in with. */
export const LEAD_FLOWS = { cadreCheck: 'cadre-lead', selfDeclaration: 'proxy-declaration' } as const satisfies Partial<Record<LeadSource, string>>;
export type StaffLeadSource = keyof typeof LEAD_FLOWS;

const isoDate = z.string().refine(isIsoDate, 'must be a date written YYYY-MM-DD');

/** The answers of flows/cadre-lead.yaml and flows/proxy-declaration.yaml (the engine has validated each one). */
export const leadAnswersSchema = householdAnswersSchema.extend({
  actorUserId: z.string().min(1),
  leadSource: z.enum(['cadreCheck', 'selfDeclaration']),
  /** The day the risk was found, or the day the household asked (代申报): the 15-day clock starts then. */
  foundOn: isoDate,
  /** The day the household signed the paper 申请及承诺授权书; none while a found lead waits for it (the home visit records it). */
  signedOn: isoDate.optional(),
});

/** The villages where a staff member may record a lead: those they serve in a role that may record one (openCase). */
export function leadVillages(org: Org, member: StaffMember): Area[] {
  return org.descendants(org.file.county.code, 'village').filter((v) => LEAD_RECORDERS.some((role) => org.serves(member, role, v.code)));
}

/**
 * The answers a lead flow starts with: who fills it in, the kind of lead, the earliest day it may be dated,
 * and the township and village when the staff member serves only one, with `fixedArea` saying which: the flow
 * then skips those questions (a branch on a field no question asks, so answering one never changes the way).
 * @example leadFlowStart(org, wangcadre, "cadreCheck", now) → { actorUserId: "wangcadre", leadSource: "cadreCheck",
 *   earliestLeadDate: "2026-09-23", township: "430621101", village: "430621101201", fixedArea: "village" }
 */
export function leadFlowStart(org: Org, member: StaffMember, source: StaffLeadSource, now: Date): Answers {
  const villages = leadVillages(org, member);
  const townships = [...new Set(villages.map((v) => v.parent!))];
  return {
    actorUserId: member.userId,
    leadSource: source,
    earliestLeadDate: addNaturalDays(shanghaiDate(now), -LEAD_LOOKBACK_DAYS),
    ...(townships.length === 1 ? { township: townships[0]!, fixedArea: 'township' } : {}),
    ...(villages.length === 1 ? { village: villages[0]!.code, fixedArea: 'village' } : {}),
  };
}

/**
 * Leads a staff member enters for a household (上报线索, source cadreCheck; 代申报, source selfDeclaration
 * declared by them): a case opened like a declaration (one open case per household, the duplicate check), with
 * the staff member as the opener and `declaredBy`, their app address as the declarant (the household has no
 * 微信客服 address here), the day the risk was found, and the household's paper signature with its date.
 */
export class LeadReports {
  constructor(private readonly deps: { declarations: DeclarationService }) {}

  async report(raw: unknown, member: StaffMember, now: Date, requestId?: string): Promise<OpenResult> {
    const parsed = leadAnswersSchema.safeParse(raw);
    if (!parsed.success) throw new DeclarationError(`lead answers incomplete: ${parsed.error.issues.map((i) => i.path.join('.')).join(', ')}`);
    const { actorUserId, leadSource, foundOn, signedOn, ...household } = parsed.data;
    if (actorUserId.toLowerCase() !== member.userId.toLowerCase()) throw new DeclarationError('a lead is submitted by the one who filled it in');
    // A declaration is the household's own: without its signature nothing is filed (the flow ends before).
    if (leadSource === 'selfDeclaration' && !signedOn) throw new DeclarationError('a declaration for a household needs its signature');
    return this.deps.declarations.open(
      {
        answers: household,
        source: leadSource,
        leadFoundOn: foundOn,
        openedBy: { userId: member.userId },
        declaredBy: member.userId,
        declarant: { channel: 'app', userId: member.userId },
        ...(signedOn ? { commitment: { at: signedOn, onPaper: true } } : {}),
        ...(requestId ? { requestId } : {}),
      },
      now,
    );
  }
}
