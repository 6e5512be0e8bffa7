import type { Org, Role } from '../org/org.js';
import type { Decision } from './decide.js';
import type { CaseSnapshot } from './case-snapshot.js';
import { actingRole, notVillageCadres } from './permissions.js';
import { refuse } from './refusals.js';

/** Who may hand a departing cadre's households to a successor. */
const HAND_OVER_ROLES: readonly Role[] = ['villageSecretary', 'townshipReviewer', 'admin'];

export interface HandOverInput {
  case: CaseSnapshot;
  fromUserId: string;
  toUserId: string;
  actor: { userId: string };
  org: Org;
  now: Date;
}

/**
 * Replaces a departing cadre by a successor wherever the case names them (monitoring contacts, assignees).
 * Not tied to a card, so it takes no case version; the caller stores it with the same version check as any step.
 */
export function handOver(input: HandOverInput): Decision {
  const { case: c, fromUserId, toUserId, org, now } = input;
  const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
  if (same(fromUserId, toUserId)) return refuse('handOver.sameUser');
  const actor = actingRole(org, input.actor.userId, c.villageCode, HAND_OVER_ROLES);
  if (!actor.ok) return actor;
  const named = (list: string[]) => list.some((id) => same(id, fromUserId));
  if (!named(c.monitoringContacts) && !named(c.assignees)) return refuse('handOver.notAssigned', { userId: fromUserId });
  if (notVillageCadres(org, [toUserId], c.villageCode).length > 0) return refuse('handOver.successorNotEligible', { userId: toUserId });

  const swap = (list: string[]) => [...new Set(list.map((id) => (same(id, fromUserId) ? toUserId : id)))];
  const next: CaseSnapshot = { ...c, monitoringContacts: swap(c.monitoringContacts), assignees: swap(c.assignees), version: c.version + 1 };
  return {
    ok: true,
    case: next,
    event: {
      caseId: c.id,
      action: 'handOver',
      from: c.stage,
      to: c.stage,
      version: next.version,
      actor: { userId: input.actor.userId, role: actor.role, ...(actor.standsInFor ? { standsInFor: actor.standsInFor } : {}) },
      at: now.toISOString(),
      profileKey: c.profileKey,
      data: { fromUserId, toUserId, monitoringContacts: next.monitoringContacts, assignees: next.assignees },
    },
  };
}
