import type { Role } from '../org/org.js';
import type { ActionType } from './actions.js';
import type { Stage } from './stages.js';

/**
 * Who took a step: a staff member in the role they acted under, or the system (a self-declaration, an import).
 * `standsInFor`: the step's own roles, which nobody held for the village, so this person acted in their stead
 * (permissions.ts STAND_IN_ORDER).
 * @example { "userId": "liucounty", "role": "countyApprover", "standsInFor": ["villageSecretary", "townshipReviewer"] }
 */
export interface EventActor {
  userId: string;
  role: Role | 'system';
  standsInFor?: Role[];
}

/**
 * One accepted step of a case, for the audit trail and for whoever reacts to it (cards, reminders).
 * `version` is the case version after the step. `data` holds the action's fields plus what the step computed.
 * @example { "caseId": "c-1", "action": "recordAppraisal", "from": "villageAppraisal", "to": "publicNotice", "version": 5,
 *   "actor": { "userId": "lisecretary", "role": "villageSecretary" }, "at": "2026-03-02T02:00:00.000Z",
 *   "profileKey": "hunan-2022@1", "data": { "notice": { "startsOn": "2026-03-02", "endsOn": "2026-03-07" } } }
 */
export interface TransitionEvent {
  caseId: string;
  action: ActionType | 'openCase' | 'handOver';
  /** null when the case is opened. */
  from: Stage | null;
  to: Stage;
  version: number;
  actor: EventActor;
  /** ISO instant. */
  at: string;
  /** Why: rejection reasons, an upheld objection, or the guard that held an elimination. */
  reason?: string;
  profileKey: string;
  data?: Record<string, unknown>;
  /**
   * The inbound message (card click, form submission) that took the step: the same request coming back
   * (a retry after a crash) is recognised as done instead of being refused as "moved on".
   */
  requestId?: string;
}
