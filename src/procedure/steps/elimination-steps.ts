import { yearOf } from '../../policy/dates.js';
import { eliminationGuard } from '../elimination-guards.js';
import { stageExists } from '../moves.js';
import { refuse } from '../refusals.js';
import { nextStage, type Step, supersedeOpenObjections } from './step.js';

/**
 * Refused while a guard fails on what is known now: labour, timing, and the income figure the proposer gives.
 * Where the profile has no elimination visit (Henan), nobody records the year's income later, so the
 * proposal must bring it.
 */
export const proposeElimination: Step<'proposeElimination'> = ({ case: c, action, move, profile, today }) => {
  const { income } = action;
  const known = income ? { ...c, netIncomePerCapita: { ...c.netIncomePerCapita, [String(income.year)]: income.netIncomePerCapita } } : c;
  const year = yearOf(today);
  const incomeNow = profile.elimination.blockIfIncomeBelowLine && !stageExists('eliminationHomeVerification', profile);
  if (incomeNow && income?.year !== year) return eliminationGuard(c, profile, today, action.method, false) ?? refuse('elimination.incomeMissing', { year });
  const refused = eliminationGuard(known, profile, today, action.method, income !== undefined);
  if (refused) return refused;
  const note = action.note !== undefined ? { note: action.note } : {};
  return { ok: true, to: nextStage(move), case: { ...known, elimination: { method: action.method, proposedOn: today, ...note } } };
};

export const acceptEliminationProposal: Step<'acceptEliminationProposal'> = ({ case: c, move }) => ({ ok: true, to: nextStage(move), case: c });

/**
 * The household confirms that it agrees (form 3: signed on paper, or answered on 微信客服); without its agreement
 * the elimination stops. A paper signature is dated: not after today, not before the proposal.
 */
export const recordHouseholdAgreement: Step<'recordHouseholdAgreement'> = ({ case: c, action, move, today }) => {
  const signedOn = action.signedOn ?? today;
  if (signedOn > today) return refuse('householdAgreement.dateInFuture', { signedOn });
  if (c.elimination && signedOn < c.elimination.proposedOn) return refuse('householdAgreement.beforeProposal', { signedOn, proposedOn: c.elimination.proposedOn });
  if (!action.agrees) return { ok: true, to: 'monitoring', reason: 'householdDisagrees', case: { ...c, elimination: null } };
  const elimination = c.elimination ? { ...c.elimination, householdAgreedOn: signedOn, householdAgreedVia: action.via } : null;
  return { ok: true, to: nextStage(move), case: { ...c, elimination } };
};

/** Stop an elimination at any of its steps; the household stays monitored (the record is never removed). */
export const holdInMonitoring: Step<'holdInMonitoring'> = ({ case: c, action, move, today }) => ({
  ok: true,
  to: nextStage(move),
  reason: action.reasons.join('；'),
  case: { ...c, elimination: null, objections: supersedeOpenObjections(c, today) },
});
