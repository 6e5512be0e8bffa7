/**
 * Where a case stands in the procedure (policy brief §2.2, §2.3). A new lead starts at `lead`.
 * The transition table lives beside this file (moves.ts); these names are shared with conversations and reports.
 * Each stage names what the case is waiting for: `homeVerification` = waiting for the home visit.
 */
export const IDENTIFICATION_STAGES = [
  'lead',
  'homeVerification',
  'dataCrossCheck', // only where the profile runs the cross-check before the appraisal
  'villageAppraisal', // only where the profile has a village appraisal (not Xuwen)
  'publicNotice', // likewise
  'townshipReview',
  'countyApproval', // only where the county approves
  'identified', // decided; waiting for registration (录入建档) with monitoring contacts
  'registered', // waiting for the assistance plan
  'monitoring',
] as const;

/** Risk elimination (风险消除): same shape as identification; the record stays after `eliminated`. Stages a profile lacks are skipped (moves.ts). */
export const ELIMINATION_STAGES = [
  'eliminationProposed',
  'eliminationHomeVerification', // only where the profile has an elimination visit (not Henan)
  'householdAgreement', // only where the household signs (not Henan, not Xuwen)
  'eliminationAppraisal', // only where the profile has a village appraisal for eliminations (not Xuwen)
  'eliminationNotice', // likewise
  'eliminationTownshipReview',
  'eliminationCountyApproval', // only where the county approves
  'eliminated',
] as const;

export const CLOSED_STAGES = ['rejected', 'eliminated'] as const;

/** Every stage, in procedure order. */
export const STAGES = [...IDENTIFICATION_STAGES, ...ELIMINATION_STAGES, 'rejected'] as const;
export type Stage = (typeof STAGES)[number];

/** Whether a case in `stage` is still open: a new declaration for the same household is not duplicated. */
export function isOpenStage(stage: string): boolean {
  return !(CLOSED_STAGES as readonly string[]).includes(stage);
}

/** True for stages of the risk-elimination procedure that are not yet final. */
export function isEliminationStage(stage: Stage): boolean {
  return stage !== 'eliminated' && (ELIMINATION_STAGES as readonly string[]).includes(stage);
}

/** The stage every new case starts in, whatever its source. */
export const INITIAL_STAGE = 'lead';
