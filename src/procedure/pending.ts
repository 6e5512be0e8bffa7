import type { Org, Role } from '../org/org.js';
import type { IsoDate } from '../policy/dates.js';
import type { Limit, PolicyProfile } from '../policy/profile.js';
import type { ActionType } from './actions.js';
import type { CaseSnapshot } from './case-snapshot.js';
import { type Move, movesFor } from './moves.js';
import { actingRole, notVillageCadres } from './permissions.js';
import { IDENTIFICATION_STAGES, type Stage } from './stages.js';

/**
 * A decision a staff member can take now on a case (for 我的待办).
 * @example { "caseId": "c-1", "stage": "publicNotice", "action": "closeNotice", "role": "cadre", "dueOn": "2026-03-17", "availableFrom": "2026-03-07" }
 */
export interface PendingDecision {
  caseId: string;
  stage: Stage;
  action: ActionType;
  role: Role;
  /** Taken in the stead of these roles, which nobody holds for the village (permissions.ts). */
  standsInFor?: Role[];
  /** Last day (inclusive) of the limit the step counts against, where one applies. */
  dueOn?: IsoDate;
  /** Not before this day (a notice closes on its last day). */
  availableFrom?: IsoDate;
  /** The step decides the case (identified or eliminated) rather than forwarding it: Henan's township decides. */
  decides?: true;
  /** The profile's limit `dueOn` comes from, for cards and lists to name (识别时限15天). */
  limit?: NamedLimit;
}

/** A limit of the profile by its name in `limits`. */
export interface NamedLimit extends Limit {
  name: DueLimit;
}

/** The limits a pending step can run against. */
export type DueLimit = 'declarationAcceptance' | 'identification' | 'assistancePlan' | 'measureEntry';

const BEFORE_IDENTIFIED = IDENTIFICATION_STAGES.slice(0, IDENTIFICATION_STAGES.indexOf('identified')) as readonly Stage[];

/**
 * What `userId` has pending on `c`: the moves the stage is waiting for that their role and area allow, or
 * that they stand in for when nobody holds the step's roles for the village (permissions.ts STAND_IN_ORDER).
 * Cadre steps go only to the case's assignees (before identification) or monitoring contacts (after) who are
 * still cadres of the village, when it has any. Steps blocked by someone else's pending work (a cross-check,
 * an objection) are left out.
 */
export function pendingFor(c: CaseSnapshot, userId: string, org: Org, profile: PolicyProfile): PendingDecision[] {
  const out: PendingDecision[] = [];
  for (const move of movesFor(profile)) {
    if (move.from !== c.stage || !isDue(c, move)) continue;
    const acting = actingRole(org, userId, c.villageCode, move.roles);
    if (!acting.ok) continue;
    if (acting.role === 'cadre' && !isResponsibleCadre(c, userId, org)) continue;
    const name = dueLimit(c);
    const dueOn = name ? c.deadlines[name] : undefined;
    const limit = name ? profile.limits[name] : undefined;
    const availableFrom = move.action === 'closeNotice' ? c.notice?.endsOn : undefined;
    out.push({
      caseId: c.id,
      stage: c.stage,
      action: move.action,
      role: acting.role,
      ...(acting.standsInFor ? { standsInFor: acting.standsInFor } : {}),
      ...(dueOn ? { dueOn } : {}),
      ...(dueOn && name && limit ? { limit: { name, ...limit } } : {}),
      ...(availableFrom ? { availableFrom } : {}),
      ...(move.to.some((to) => to === 'identified' || to === 'eliminated') ? { decides: true as const } : {}),
    });
  }
  return out;
}

function isDue(c: CaseSnapshot, move: Move): boolean {
  const reliefPending = c.fastTrack !== null && c.fastTrack.relief === undefined;
  if (move.awaited === 'reliefPending') return reliefPending;
  if (!move.awaited || reliefPending) return false;
  const objectionOpen = c.objections.some((o) => o.status === 'open');
  const crossCheckPending = c.crossCheck.status === 'pending';
  switch (move.awaited) {
    case 'objectionOpen':
      return objectionOpen;
    case 'crossCheckPending':
      return crossCheckPending;
    case 'measureEntryPending':
      return c.assistancePlan !== null && c.assistancePlan.enteredOn === undefined;
    case 'always':
      if (move.action === 'closeNotice') return !objectionOpen;
      if (move.action === 'townshipApprove' && move.from === 'townshipReview') return !crossCheckPending;
      return true;
  }
}

/** Named cadres who have left the village (or the roster) leave the step to every cadre of the village. */
function isResponsibleCadre(c: CaseSnapshot, userId: string, org: Org): boolean {
  const named = BEFORE_IDENTIFIED.includes(c.stage) ? c.assignees : c.monitoringContacts;
  const responsible = named.filter((id) => notVillageCadres(org, [id], c.villageCode).length === 0);
  return responsible.length === 0 || responsible.some((id) => id.toLowerCase() === userId.toLowerCase());
}

/** Which limit the case's current step counts against. */
function dueLimit(c: CaseSnapshot): DueLimit | undefined {
  if (c.stage === 'lead') return c.deadlines.declarationAcceptance ? 'declarationAcceptance' : 'identification';
  if (BEFORE_IDENTIFIED.includes(c.stage)) return 'identification';
  if (c.stage === 'identified' || c.stage === 'registered') return 'assistancePlan';
  if (c.stage === 'monitoring' && c.assistancePlan && !c.assistancePlan.enteredOn) return 'measureEntry';
  return undefined;
}
