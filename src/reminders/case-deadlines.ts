import type { Logger } from 'pino';
import type { CaseRecord } from '../cases/case-record.js';
import type { CaseRepository } from '../cases/case-repository.js';
import type { Org, Role, StaffMember } from '../org/org.js';
import type { IsoDate } from '../policy/dates.js';
import type { Limit, PolicyProfile } from '../policy/profile.js';
import { findProfile } from '../policy/profile-select.js';
import type { ActionType } from '../procedure/actions.js';
import { movesFor, type Move } from '../procedure/moves.js';
import { STAND_IN_ORDER } from '../procedure/permissions.js';
import { pendingFor } from '../procedure/pending.js';
import { IDENTIFICATION_STAGES, type Stage } from '../procedure/stages.js';
import type { DeadlineItem, DeadlineKind, DeadlineOwner, DeadlineSource } from './deadline-source.js';
import { rememberingOrg } from './remembering-org.js';

const BEFORE_IDENTIFIED: readonly Stage[] = IDENTIFICATION_STAGES.slice(0, IDENTIFICATION_STAGES.indexOf('identified'));
/** Stages a case deadline runs in; `rejected` only while a refused household may not have been told. */
const STAGES_WITH_DEADLINES: readonly Stage[] = [...BEFORE_IDENTIFIED, 'identified', 'registered', 'monitoring', 'eliminationNotice'];

/**
 * What planning remembers across the cases of one run: their owners by the shape of a case that decides them (see
 * `ownersShape`) and the step they own, and place names by area. A county's 100,000 cases have a few thousand shapes.
 */
export interface PlanningCache {
  /** Shape → step (or 'any') → owners. */
  owners: Map<string, Map<string, DeadlineOwner[]>>;
  places: Map<string, string>;
  /** Profile, stage and village → the roles that can have its steps pending. */
  roles: Map<string, Set<Role>>;
}

export function planningCache(): PlanningCache {
  return { owners: new Map(), places: new Map(), roles: new Map() };
}

/** What the case source needs to know beyond the case: who may act in its village, and whether its household heard of a refusal. */
export interface CaseDeadlineContext {
  org: Org;
  profile: PolicyProfile;
  /** Staff whose areas reach the village (the only ones who can have anything pending there). */
  staff: readonly StaffMember[];
  /** For a refused case: whether the household was told (its outcome message was sent, directly or through a contact). */
  householdTold?: boolean;
  /** Remembers owners and place names across cases (planning a county asks them of 100,000 cases). */
  cache?: PlanningCache;
}

/**
 * Everything `pendingFor` looks at to say who may take which step (not the dates): cases alike in these have
 * the same owners, whatever their dates.
 */
function ownersShape(c: CaseRecord['procedure']): string {
  const reliefPending = c.fastTrack !== null && c.fastTrack.relief === undefined;
  const objectionOpen = c.objections.some((o) => o.status === 'open');
  const plan = c.assistancePlan === null ? 'none' : c.assistancePlan.enteredOn === undefined ? 'planned' : 'entered';
  return `${c.profileKey}|${c.stage}|${c.villageCode}|${reliefPending}|${objectionOpen}|${c.crossCheck.status}|${plan}|${c.assignees.join(',')}|${c.monitoringContacts.join(',')}`;
}

/**
 * The open deadlines of one case, from its stored deadlines (src/procedure/deadlines.ts computes them, in the
 * profile's units) and who has its next step pending (src/procedure/pending.ts). A deadline whose step was taken
 * is simply not there any more: nothing done is reminded.
 */
export function caseDeadlineItems(record: CaseRecord, ctx: CaseDeadlineContext): DeadlineItem[] {
  const c = record.procedure;
  const { limits } = ctx.profile;
  const items: DeadlineItem[] = [];
  const shape = ctx.cache ? ownersShape(c) : undefined;
  const place = placeOf(record, ctx);
  const add = (kind: DeadlineKind, dueOn: IsoDate | undefined, limit: Limit | undefined, step: ActionType | 'any', extra?: Partial<DeadlineItem>) => {
    if (!dueOn || !limit) return;
    const who = extra?.owners ?? ownersOf(c, ctx, step, shape);
    if (who.length > 0) items.push(itemOf(record, place, kind, dueOn, limit, who, extra));
  };
  if (c.stage === 'lead') add('declarationAcceptance', c.deadlines.declarationAcceptance, limits.declarationAcceptance, 'any');
  if (BEFORE_IDENTIFIED.includes(c.stage)) add('identification', c.deadlines.identification, limits.identification, 'any');
  if ((c.stage === 'publicNotice' || c.stage === 'eliminationNotice') && c.notice) add('noticeEnd', c.notice.endsOn, limits.publicNotice, 'closeNotice');
  if (c.stage === 'identified' || c.stage === 'registered') add('assistancePlan', c.deadlines.assistancePlan, limits.assistancePlan, 'any');
  if (c.stage === 'monitoring' && c.assistancePlan && c.assistancePlan.enteredOn === undefined) add('measureEntry', c.deadlines.measureEntry, limits.measureEntry, 'recordMeasureEntry');
  if (c.stage === 'rejected' && ctx.householdTold === false) {
    // Nobody has a step pending on a refused case: the cadres who know the household tell it, then say so (已知晓).
    const cadres = c.assignees.length > 0 ? c.assignees : c.monitoringContacts.length > 0 ? c.monitoringContacts : ctx.staff.filter((m) => ctx.org.serves(m, 'cadre', c.villageCode)).map((m) => m.userId);
    add('rejectionNotice', c.deadlines.rejectionNotice, limits.rejectionNotice, 'any', { owners: cadres.map((userId) => ({ userId, role: 'cadre' as const })), doneWhenAcknowledged: true });
  }
  return items;
}

function itemOf(record: CaseRecord, place: string, kind: DeadlineKind, dueOn: IsoDate, limit: Limit, owners: DeadlineOwner[], extra?: Partial<DeadlineItem>): DeadlineItem {
  const c = record.procedure;
  return {
    key: `case:${record._id}:${kind}:${dueOn}`,
    kind,
    dueOn,
    unit: limit.unit === 'working' ? 'working' : 'natural',
    owners,
    area: c.villageCode,
    caseId: record._id,
    caseNumber: record.caseNumber,
    caseVersion: c.version,
    stage: c.stage,
    head: record.household.head,
    place,
    ...extra,
  };
}

function placeOf(record: CaseRecord, ctx: CaseDeadlineContext): string {
  const areaCode = record.area.group ?? record.area.village;
  let place = ctx.cache?.places.get(areaCode);
  if (place === undefined) {
    place = ctx.org.placeName(areaCode);
    ctx.cache?.places.set(areaCode, place);
  }
  return place;
}

/**
 * Who has a step of the case pending (`step`'s only, unless 'any'), each once, in roster order; remembered by the
 * case's shape when a cache is given (items of cases alike share one owners list).
 */
function ownersOf(c: CaseRecord['procedure'], ctx: CaseDeadlineContext, step: ActionType | 'any', shape: string | undefined): DeadlineOwner[] {
  let known: Map<string, DeadlineOwner[]> | undefined;
  if (shape !== undefined && ctx.cache) {
    known = ctx.cache.owners.get(shape);
    if (!known) ctx.cache.owners.set(shape, (known = new Map()));
    const cached = known.get(step);
    if (cached) return cached;
  }
  // Only staff holding a role some awaited step of this stage allows (or stands in with) can have it pending.
  const roles = candidateRoles(c, ctx);
  const seen = new Set<string>();
  const found: DeadlineOwner[] = [];
  for (const member of ctx.staff) {
    if (!member.roles.some((r) => roles.has(r))) continue;
    for (const decision of pendingFor(c, member.userId, ctx.org, ctx.profile)) {
      if ((step !== 'any' && decision.action !== step) || seen.has(member.userId)) continue;
      seen.add(member.userId);
      found.push({ userId: member.userId, role: decision.role, action: decision.action });
    }
  }
  known?.set(step, found);
  return found;
}

const awaitedByProfile = new WeakMap<PolicyProfile, Map<Stage, Move[]>>();

/** The steps a stage waits for under a profile (moves.ts), worked out once per profile. */
function awaitedMoves(profile: PolicyProfile, stage: Stage): Move[] {
  let byStage = awaitedByProfile.get(profile);
  if (!byStage) {
    byStage = new Map();
    for (const move of movesFor(profile)) if (move.awaited) byStage.set(move.from, [...(byStage.get(move.from) ?? []), move]);
    awaitedByProfile.set(profile, byStage);
  }
  return byStage.get(stage) ?? [];
}

/**
 * The roles that can have a step of the case's stage pending in its village: those its awaited steps allow, and,
 * for a step nobody there holds a role for, those that stand in (permissions.ts). Remembered per village and stage.
 */
function candidateRoles(c: CaseRecord['procedure'], ctx: CaseDeadlineContext): Set<Role> {
  const key = `${c.profileKey}|${c.stage}|${c.villageCode}`;
  const known = ctx.cache?.roles.get(key);
  if (known) return known;
  const roles = new Set<Role>();
  for (const move of awaitedMoves(ctx.profile, c.stage)) {
    for (const role of move.roles) roles.add(role);
    const held = ctx.staff.some((m) => move.roles.some((r) => ctx.org.serves(m, r, c.villageCode)));
    if (!held) for (const role of STAND_IN_ORDER) roles.add(role);
  }
  ctx.cache?.roles.set(key, roles);
  return roles;
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
    const { repo } = this.deps;
    const org = rememberingOrg(this.deps.org);
    const villages = org.descendants(org.file.county.code, 'village').map((v) => v.code);
    const stages = this.deps.profiles.some((p) => p.limits.rejectionNotice) ? [...STAGES_WITH_DEADLINES, 'rejected' as const] : STAGES_WITH_DEADLINES;
    const records = await repo.inVillages(villages, stages);
    const staffByVillage = new Map<string, StaffMember[]>();
    const cache = planningCache();
    const out: DeadlineItem[] = [];
    for (const record of records) out.push(...(await this.itemsOf(record, staffByVillage, cache)));
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

  private async itemsOf(record: CaseRecord, staffByVillage: Map<string, StaffMember[]>, cache?: PlanningCache): Promise<DeadlineItem[]> {
    const { logger } = this.deps;
    const org = rememberingOrg(this.deps.org);
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
    return caseDeadlineItems(record, { org, profile, staff, ...(cache ? { cache } : {}), ...(rejected ? { householdTold: await this.deps.householdTold(record) } : {}) });
  }
}
