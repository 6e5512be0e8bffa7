import type { Logger } from 'pino';
import type { CaseRecord } from '../cases/case-record.js';
import type { CaseRepository } from '../cases/case-repository.js';
import type { Org, StaffMember } from '../org/org.js';
import type { DayUnit } from '../policy/calendar.js';
import type { IsoDate } from '../policy/dates.js';
import type { Limit, PolicyProfile } from '../policy/profile.js';
import { findProfile } from '../policy/profile-select.js';
import { pendingFor, type PendingDecision } from '../procedure/pending.js';
import { IDENTIFICATION_STAGES, type Stage } from '../procedure/stages.js';
import type { DeadlineItem, DeadlineKind, DeadlineOwner, DeadlineSource } from './deadline-source.js';

const BEFORE_IDENTIFIED: readonly Stage[] = IDENTIFICATION_STAGES.slice(0, IDENTIFICATION_STAGES.indexOf('identified'));
/** Stages a case deadline runs in; `rejected` only while a refused household may not have been told. */
const STAGES_WITH_DEADLINES: readonly Stage[] = [...BEFORE_IDENTIFIED, 'identified', 'registered', 'monitoring', 'eliminationNotice'];

/** What the case source needs to know beyond the case: who may act in its village, and whether its household heard of a refusal. */
export interface CaseDeadlineContext {
  org: Org;
  profile: PolicyProfile;
  /** Staff whose areas reach the village (the only ones who can have anything pending there). */
  staff: readonly StaffMember[];
  /** For a refused case: whether the household was told (its outcome message was sent, directly or through a contact). */
  householdTold?: boolean;
}

/**
 * The open deadlines of one case, from its stored deadlines (src/procedure/deadlines.ts computes them, in the
 * profile's units) and who has its next step pending (src/procedure/pending.ts). A deadline whose step was taken
 * is simply not there any more: nothing done is reminded.
 */
export function caseDeadlineItems(record: CaseRecord, ctx: CaseDeadlineContext): DeadlineItem[] {
  const c = record.procedure;
  const { profile } = ctx;
  const limits = profile.limits;
  const items: DeadlineItem[] = [];
  let pending: { userId: string; decision: PendingDecision }[] | undefined;
  const owners = (only?: (d: PendingDecision) => boolean): DeadlineOwner[] => {
    pending ??= ctx.staff.flatMap((m) => pendingFor(c, m.userId, ctx.org, profile).map((decision) => ({ userId: m.userId, decision })));
    const seen = new Set<string>();
    return pending.flatMap(({ userId, decision }) => {
      if ((only && !only(decision)) || seen.has(userId)) return [];
      seen.add(userId);
      return [{ userId, role: decision.role, action: decision.action }];
    });
  };
  const add = (kind: DeadlineKind, dueOn: IsoDate | undefined, limit: Limit | undefined, who: DeadlineOwner[], extra: Partial<DeadlineItem> = {}) => {
    if (!dueOn || !limit || who.length === 0) return;
    items.push({
      key: `case:${record._id}:${kind}:${dueOn}`,
      kind,
      dueOn,
      unit: dayUnit(limit),
      owners: who,
      area: c.villageCode,
      caseId: record._id,
      caseNumber: record.caseNumber,
      caseVersion: c.version,
      stage: c.stage,
      head: record.household.head,
      place: ctx.org.placeName(record.area.group ?? record.area.village),
      ...extra,
    });
  };

  if (c.stage === 'lead') add('declarationAcceptance', c.deadlines.declarationAcceptance, limits.declarationAcceptance, owners());
  if (BEFORE_IDENTIFIED.includes(c.stage)) add('identification', c.deadlines.identification, limits.identification, owners());
  if ((c.stage === 'publicNotice' || c.stage === 'eliminationNotice') && c.notice) {
    add('noticeEnd', c.notice.endsOn, limits.publicNotice, owners((d) => d.action === 'closeNotice'));
  }
  if (c.stage === 'identified' || c.stage === 'registered') add('assistancePlan', c.deadlines.assistancePlan, limits.assistancePlan, owners());
  if (c.stage === 'monitoring' && c.assistancePlan && c.assistancePlan.enteredOn === undefined) {
    add('measureEntry', c.deadlines.measureEntry, limits.measureEntry, owners((d) => d.action === 'recordMeasureEntry'));
  }
  if (c.stage === 'rejected' && ctx.householdTold === false) {
    // Nobody has a step pending on a refused case: the cadres who know the household tell it, then say so (已知晓).
    const cadres = c.assignees.length > 0 ? c.assignees : c.monitoringContacts.length > 0 ? c.monitoringContacts : ctx.staff.filter((m) => ctx.org.serves(m, 'cadre', c.villageCode)).map((m) => m.userId);
    add('rejectionNotice', c.deadlines.rejectionNotice, limits.rejectionNotice, cadres.map((userId) => ({ userId, role: 'cadre' as const })), { doneWhenAcknowledged: true });
  }
  return items;
}

function dayUnit(limit: Limit): DayUnit {
  return limit.unit === 'working' ? 'working' : 'natural';
}

/**
 * Deadlines of open cases, read from the case store. Refused cases are read only where a profile sets a time
 * to tell the household (none of the shipped ones does), and only while the household may not have heard.
 */
export class CaseDeadlines implements DeadlineSource {
  readonly name = 'case';

  constructor(
    private readonly deps: {
      repo: CaseRepository;
      org: Org;
      profiles: readonly PolicyProfile[];
      /** Whether a refused case's household was told (its outcome went out); false when it has no way yet. */
      householdTold: (record: CaseRecord) => Promise<boolean>;
      logger: Logger;
    },
  ) {}

  async openItems(): Promise<DeadlineItem[]> {
    const { repo, org } = this.deps;
    const villages = org.descendants(org.file.county.code, 'village').map((v) => v.code);
    const stages = this.deps.profiles.some((p) => p.limits.rejectionNotice) ? [...STAGES_WITH_DEADLINES, 'rejected' as const] : STAGES_WITH_DEADLINES;
    const records = await repo.inVillages(villages, stages);
    const staffByVillage = new Map<string, StaffMember[]>();
    const out: DeadlineItem[] = [];
    for (const record of records) out.push(...(await this.itemsOf(record, staffByVillage)));
    return out;
  }

  async stillOpen(keys: readonly string[]): Promise<DeadlineItem[]> {
    const wanted = new Set(keys);
    const caseIds = [...new Set(keys.map((k) => k.split(':')[1]!))];
    const out: DeadlineItem[] = [];
    for (const id of caseIds) {
      const record = await this.deps.repo.get(id);
      if (record) out.push(...(await this.itemsOf(record, new Map())).filter((item) => wanted.has(item.key)));
    }
    return out;
  }

  private async itemsOf(record: CaseRecord, staffByVillage: Map<string, StaffMember[]>): Promise<DeadlineItem[]> {
    const { org, logger } = this.deps;
    const profile = findProfile(this.deps.profiles, record.procedure.profileKey);
    if (!profile) {
      // One case with a profile no longer loaded must not stop everyone's reminders.
      logger.error({ caseNumber: record.caseNumber, profile: record.procedure.profileKey }, 'deadlines of a case not planned: its profile is not loaded');
      return [];
    }
    const village = record.procedure.villageCode;
    let staff = staffByVillage.get(village);
    if (!staff) {
      staff = org.file.staff.filter((m) => m.areas.some((a) => org.contains(a, village)));
      staffByVillage.set(village, staff);
    }
    const rejected = record.procedure.stage === 'rejected';
    if (rejected && !record.procedure.deadlines.rejectionNotice) return [];
    return caseDeadlineItems(record, { org, profile, staff, ...(rejected ? { householdTold: await this.deps.householdTold(record) } : {}) });
  }
}
