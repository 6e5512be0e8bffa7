import type { Role } from '../org/org.js';
import type { PolicyProfile } from '../policy/profile.js';
import type { ActionType } from './actions.js';
import { STAGES, type Stage } from './stages.js';

/** A profile setting a move or a stage depends on. */
export type ProfileCondition =
  | 'crossCheckBeforeAppraisal'
  | 'crossCheckDuringNotice'
  | 'countyApproves'
  | 'townshipDecides'
  | 'villageAppraisal'
  | 'eliminationHomeVerification'
  | 'householdAgreement'
  | 'eliminationAppraisal';

/** When an awaited move is due (for 我的待办): always, or only while something is open. */
export type AwaitedWhen = 'always' | 'objectionOpen' | 'crossCheckPending' | 'reliefPending' | 'measureEntryPending';

/**
 * One allowed step: in stage `from`, `roles` may take `action`, and the case goes to one of `to`.
 * `to` names the full procedure's stages; `movesFor` moves a target the profile does not have on to the
 * next stage it has (Henan: the accepted elimination proposal goes to the appraisal, with no visit).
 * @example { "from": "publicNotice", "action": "closeNotice", "to": ["townshipReview"], "roles": ["cadre", "villageSecretary"], "awaited": "always" }
 */
export interface Move {
  from: Stage;
  action: ActionType;
  to: readonly Stage[];
  roles: readonly Role[];
  onlyIf?: ProfileCondition;
  /** This move is what the stage is waiting for. */
  awaited?: AwaitedWhen;
}

const VILLAGE: Role[] = ['cadre', 'villageSecretary'];
const VERIFIERS: Role[] = ['cadre', 'townshipReviewer'];
const VILLAGE_DECIDERS: Role[] = ['villageSecretary', 'townshipReviewer'];
const ELIMINATION_STOPPERS: Role[] = ['villageSecretary', 'townshipReviewer', 'countyApprover'];

/** Stages that exist only under some profiles. */
const STAGE_CONDITION: Partial<Record<Stage, ProfileCondition>> = {
  dataCrossCheck: 'crossCheckBeforeAppraisal',
  villageAppraisal: 'villageAppraisal',
  publicNotice: 'villageAppraisal',
  countyApproval: 'countyApproves',
  eliminationHomeVerification: 'eliminationHomeVerification',
  householdAgreement: 'householdAgreement',
  eliminationAppraisal: 'eliminationAppraisal',
  eliminationNotice: 'eliminationAppraisal',
  eliminationCountyApproval: 'countyApproves',
};

/** Identification stages before the decision, where relief may come first (先行救助). */
const BEFORE_DECISION: Stage[] = ['lead', 'homeVerification', 'dataCrossCheck', 'villageAppraisal', 'publicNotice', 'townshipReview', 'countyApproval'];
const fastTrack: Move[] = BEFORE_DECISION.flatMap((s): Move[] => [
  { from: s, action: 'markFastTrack', to: [s], roles: ['cadre', 'villageSecretary', 'townshipReviewer'] },
  { from: s, action: 'recordRelief', to: [s], roles: ['cadre', 'villageSecretary', 'townshipReviewer', 'countyApprover'], awaited: 'reliefPending' },
]);

const identification: Move[] = [
  { from: 'lead', action: 'acceptLead', to: ['homeVerification'], roles: VILLAGE_DECIDERS, awaited: 'always' },
  { from: 'lead', action: 'reject', to: ['rejected'], roles: VILLAGE_DECIDERS },
  // Households in an exempt register skip the cross-check stage (dataCrossCheck.skipFor).
  // A visit that finds no risk refuses the case (the household is told why and how to ask for a re-check).
  { from: 'homeVerification', action: 'recordHomeVerification', to: ['dataCrossCheck', 'villageAppraisal', 'rejected'], roles: VERIFIERS, onlyIf: 'crossCheckBeforeAppraisal', awaited: 'always' },
  { from: 'homeVerification', action: 'recordHomeVerification', to: ['villageAppraisal', 'rejected'], roles: VERIFIERS, onlyIf: 'crossCheckDuringNotice', awaited: 'always' },
  { from: 'homeVerification', action: 'reject', to: ['rejected'], roles: VILLAGE_DECIDERS },
  { from: 'dataCrossCheck', action: 'recordCrossCheck', to: ['villageAppraisal'], roles: ['countyApprover'], awaited: 'always' },
  { from: 'villageAppraisal', action: 'recordAppraisal', to: ['publicNotice'], roles: ['villageSecretary'], awaited: 'always' },
  { from: 'villageAppraisal', action: 'reject', to: ['rejected'], roles: VILLAGE_DECIDERS },
  { from: 'publicNotice', action: 'recordObjection', to: ['publicNotice'], roles: VILLAGE },
  // An upheld objection disputes facts, so the case goes back to the home visit (and appraisal and notice follow again).
  { from: 'publicNotice', action: 'resolveObjection', to: ['publicNotice', 'homeVerification'], roles: VILLAGE_DECIDERS, awaited: 'objectionOpen' },
  { from: 'publicNotice', action: 'closeNotice', to: ['townshipReview'], roles: VILLAGE, awaited: 'always' },
  { from: 'publicNotice', action: 'recordCrossCheck', to: ['publicNotice'], roles: ['countyApprover'], onlyIf: 'crossCheckDuringNotice', awaited: 'crossCheckPending' },
  { from: 'townshipReview', action: 'recordCrossCheck', to: ['townshipReview'], roles: ['countyApprover'], onlyIf: 'crossCheckDuringNotice', awaited: 'crossCheckPending' },
  { from: 'townshipReview', action: 'townshipApprove', to: ['countyApproval'], roles: ['townshipReviewer'], onlyIf: 'countyApproves', awaited: 'always' },
  { from: 'townshipReview', action: 'townshipApprove', to: ['identified'], roles: ['townshipReviewer'], onlyIf: 'townshipDecides', awaited: 'always' },
  { from: 'townshipReview', action: 'reject', to: ['rejected'], roles: ['townshipReviewer'] },
  { from: 'countyApproval', action: 'countyApprove', to: ['identified'], roles: ['countyApprover'], awaited: 'always' },
  { from: 'countyApproval', action: 'reject', to: ['rejected'], roles: ['countyApprover'] },
  { from: 'identified', action: 'register', to: ['registered'], roles: VILLAGE_DECIDERS, awaited: 'always' },
  { from: 'registered', action: 'recordAssistancePlan', to: ['monitoring'], roles: VILLAGE, awaited: 'always' },
  // The township enters the planned measures in the national system within a month (seed003 三); the case stays monitored.
  { from: 'monitoring', action: 'recordMeasureEntry', to: ['monitoring'], roles: ['cadre', 'villageSecretary', 'townshipReviewer'], awaited: 'measureEntryPending' },
];

const hold = (from: Stage): Move => ({ from, action: 'holdInMonitoring', to: ['monitoring'], roles: ELIMINATION_STOPPERS });
const elimination: Move[] = [
  { from: 'monitoring', action: 'proposeElimination', to: ['eliminationProposed'], roles: VILLAGE },
  { from: 'eliminationProposed', action: 'acceptEliminationProposal', to: ['eliminationHomeVerification'], roles: ['townshipReviewer'], awaited: 'always' },
  hold('eliminationProposed'),
  // The visit records income and labour; when a guard then fails, the household is held in monitoring.
  { from: 'eliminationHomeVerification', action: 'recordHomeVerification', to: ['householdAgreement', 'monitoring'], roles: VERIFIERS, awaited: 'always' },
  hold('eliminationHomeVerification'),
  { from: 'householdAgreement', action: 'recordHouseholdAgreement', to: ['eliminationAppraisal', 'monitoring'], roles: VERIFIERS, awaited: 'always' },
  hold('householdAgreement'),
  { from: 'eliminationAppraisal', action: 'recordAppraisal', to: ['eliminationNotice'], roles: ['villageSecretary'], awaited: 'always' },
  hold('eliminationAppraisal'),
  { from: 'eliminationNotice', action: 'recordObjection', to: ['eliminationNotice'], roles: VILLAGE },
  // Without an elimination visit (Henan) an upheld objection goes back to the village's appraisal, where the facts are weighed.
  { from: 'eliminationNotice', action: 'resolveObjection', to: ['eliminationNotice', 'eliminationHomeVerification'], roles: VILLAGE_DECIDERS, awaited: 'objectionOpen' },
  { from: 'eliminationNotice', action: 'closeNotice', to: ['eliminationTownshipReview'], roles: VILLAGE, awaited: 'always' },
  hold('eliminationNotice'),
  { from: 'eliminationTownshipReview', action: 'townshipApprove', to: ['eliminationCountyApproval'], roles: ['townshipReviewer'], onlyIf: 'countyApproves', awaited: 'always' },
  { from: 'eliminationTownshipReview', action: 'townshipApprove', to: ['eliminated'], roles: ['townshipReviewer'], onlyIf: 'townshipDecides', awaited: 'always' },
  hold('eliminationTownshipReview'),
  { from: 'eliminationCountyApproval', action: 'countyApprove', to: ['eliminated'], roles: ['countyApprover'], awaited: 'always' },
  hold('eliminationCountyApproval'),
];

/** The whole procedure, for every profile; `movesFor` keeps the rows a profile uses. */
export const MOVES: readonly Move[] = [...fastTrack, ...identification, ...elimination];

export function holds(condition: ProfileCondition | undefined, profile: PolicyProfile): boolean {
  switch (condition) {
    case undefined:
      return true;
    case 'crossCheckBeforeAppraisal':
      return profile.dataCrossCheck.timing === 'beforeAppraisal';
    case 'crossCheckDuringNotice':
      return profile.dataCrossCheck.timing === 'duringNotice';
    case 'countyApproves':
      return profile.approval === 'countyApprovesAndAnnounces';
    case 'townshipDecides':
      return profile.approval === 'townshipDecidesCountyFiles';
    case 'villageAppraisal':
      return profile.identification.villageAppraisal;
    case 'eliminationHomeVerification':
      return profile.elimination.homeVerification;
    case 'householdAgreement':
      return profile.elimination.householdAgreement;
    case 'eliminationAppraisal':
      return profile.elimination.villageAppraisal;
  }
}

/** Whether a stage exists in the procedure of this profile. */
export function stageExists(stage: Stage, profile: PolicyProfile): boolean {
  return holds(STAGE_CONDITION[stage], profile);
}

/**
 * Where a move to `stage` lands under a profile: the stage itself, or the next stage in procedure order
 * that the profile has (`identified`, `eliminated` and `rejected` always exist, so a skip never leaves
 * its own procedure). Xuwen: the village appraisal and notice are skipped, straight to the township.
 */
export function landingStage(stage: Stage, profile: PolicyProfile): Stage {
  for (let i = STAGES.indexOf(stage); i < STAGES.length; i++) {
    const s = STAGES[i]!;
    if (stageExists(s, profile)) return s;
  }
  throw new Error(`no stage from ${stage} on exists under ${profile.id}`);
}

/** The moves in force under a profile, with targets the profile lacks moved on (`landingStage`). */
export function movesFor(profile: PolicyProfile): Move[] {
  return MOVES.filter((m) => holds(m.onlyIf, profile) && stageExists(m.from, profile)).map((m) => ({
    ...m,
    to: m.to.map((s) => landingStage(s, profile)),
  }));
}

/** The move for `action` in `stage` under `profile`, if the procedure has one. */
export function findMove(profile: PolicyProfile, stage: Stage, action: ActionType): Move | undefined {
  return movesFor(profile).find((m) => m.from === stage && m.action === action);
}
