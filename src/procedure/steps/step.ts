import type { Org } from '../../org/org.js';
import type { WorkCalendar } from '../../policy/calendar.js';
import type { IsoDate } from '../../policy/dates.js';
import type { PolicyProfile } from '../../policy/profile.js';
import type { ActionOf, ActionType } from '../actions.js';
import type { CaseSnapshot } from '../case-snapshot.js';
import type { Move } from '../moves.js';
import type { Refusal } from '../refusals.js';
import type { Stage } from '../stages.js';

/** What a step handler sees: the case, the checked action, and the rules; `today` is the Shanghai date of `now`. */
export interface StepContext<T extends ActionType = ActionType> {
  case: CaseSnapshot;
  action: ActionOf<T>;
  move: Move;
  profile: PolicyProfile;
  org: Org;
  calendar: WorkCalendar;
  today: IsoDate;
}

/** A step's result: the changed case (stage and version are set by `decide`), where it goes, and what to record. */
export type StepOutcome =
  | { ok: true; to: Stage; case: CaseSnapshot; reason?: string; data?: Record<string, unknown> }
  | Refusal;

export type Step<T extends ActionType> = (ctx: StepContext<T>) => StepOutcome;

/** The stay-or-go target of a move whose `to` lists the normal next stage first. */
export function nextStage(move: Move, index = 0): Stage {
  const to = move.to[index];
  if (to === undefined) throw new Error(`move ${move.from} › ${move.action} has no target ${index}`);
  return to;
}

/** Open objections end when the notice they were raised against ends early. */
export function supersedeOpenObjections(c: CaseSnapshot, today: IsoDate): CaseSnapshot['objections'] {
  return c.objections.map((o) => (o.status === 'open' ? { ...o, status: 'superseded', resolvedOn: today } : o));
}
