import type { Org } from '../org/org.js';
import type { WorkCalendar } from '../policy/calendar.js';
import { shanghaiDate } from '../policy/dates.js';
import { type PolicyProfile, profileKey } from '../policy/profile.js';
import { type Action, type ActionInput, type ActionType, actionSchema } from './actions.js';
import type { CaseSnapshot } from './case-snapshot.js';
import { findMove } from './moves.js';
import { actingRole } from './permissions.js';
import { refuse, type Refusal } from './refusals.js';
import type { Step, StepContext } from './steps/step.js';
import { STEPS } from './steps/index.js';
import type { TransitionEvent } from './transition-event.js';

/** Everything a decision depends on; `now` is passed in, never read from a clock. */
export interface DecideInput {
  case: CaseSnapshot;
  action: ActionInput;
  actor: { userId: string };
  /** The profile the case was opened under (`case.profileKey`). */
  profile: PolicyProfile;
  org: Org;
  calendar: WorkCalendar;
  now: Date;
}

/** An accepted step: the new case (version + 1) and its event; or a refusal with a reason code. */
export type Decision = { ok: true; case: CaseSnapshot; event: TransitionEvent } | Refusal;

/** Taken even while fast-track relief is outstanding: the relief itself, and a refusal of the case. */
const ALLOWED_BEFORE_RELIEF: readonly ActionType[] = ['recordRelief', 'reject'];

/**
 * Applies one staff decision to a case. Checks, in order: the action's shape, the case version it was
 * made on, whether the stage has this step under the profile, the actor's role and area, fast-track
 * relief first, then the step's own rules. Only bugs throw (a profile that is not the case's own).
 */
export function decide(input: DecideInput): Decision {
  const { case: c, profile, org, calendar, now } = input;
  if (profileKey(profile) !== c.profileKey) throw new Error(`case ${c.id} was opened under ${c.profileKey}, not ${profileKey(profile)}`);
  const parsed = actionSchema.safeParse(input.action);
  if (!parsed.success) {
    return refuse('action.invalid', { issues: parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })) });
  }
  const action = parsed.data;
  if (action.caseVersion !== c.version) return refuse('case.movedOn', { caseVersion: c.version, stage: c.stage });
  const move = findMove(profile, c.stage, action.type);
  if (!move) return refuse('action.notAllowedInStage', { stage: c.stage, action: action.type });
  const actor = actingRole(org, input.actor.userId, c.villageCode, move.roles);
  if (!actor.ok) return actor;
  if (c.fastTrack && c.fastTrack.relief === undefined && !ALLOWED_BEFORE_RELIEF.includes(action.type)) {
    return refuse('fastTrack.reliefFirst', { markedOn: c.fastTrack.markedOn });
  }

  const ctx: StepContext = { case: c, action, move, profile, org, calendar, today: shanghaiDate(now) };
  const outcome = (STEPS[action.type] as Step<ActionType>)(ctx);
  if (!outcome.ok) return outcome;
  if (!move.to.includes(outcome.to)) throw new Error(`step ${c.stage} › ${action.type} went to ${outcome.to}, not in ${move.to.join('|')}`);

  const next: CaseSnapshot = { ...outcome.case, stage: outcome.to, version: c.version + 1 };
  const event: TransitionEvent = {
    caseId: c.id,
    action: action.type,
    from: c.stage,
    to: outcome.to,
    version: next.version,
    actor: { userId: input.actor.userId, role: actor.role, ...(actor.standsInFor ? { standsInFor: actor.standsInFor } : {}) },
    at: now.toISOString(),
    ...(outcome.reason !== undefined ? { reason: outcome.reason } : {}),
    profileKey: c.profileKey,
    data: { ...payload(action), ...outcome.data },
  };
  return { ok: true, case: next, event };
}

/** The action's own fields, for the event. */
function payload(action: Action): Record<string, unknown> {
  const { type: _type, caseVersion: _version, ...rest } = action;
  return rest;
}
