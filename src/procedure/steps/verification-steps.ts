import { yearOf } from '../../policy/dates.js';
import type { CROSS_CHECK_EXEMPT } from '../../policy/profile.js';
import { rejectionDeadline } from '../deadlines.js';
import { eliminationGuard } from '../elimination-guards.js';
import { refuse } from '../refusals.js';
import type { CaseSnapshot } from '../case-snapshot.js';
import { nextStage, type Step, type StepContext, type StepOutcome } from './step.js';

type Exempt = (typeof CROSS_CHECK_EXEMPT)[number];

/**
 * 入户核实, in identification and in elimination: the team of two or more records the household's
 * income, labour and registers. Identification also needs the signed commitment and authorization.
 */
export const recordHomeVerification: Step<'recordHomeVerification'> = (ctx) => {
  const { case: c, action, today, profile, calendar } = ctx;
  const team = new Set(action.verifiedBy.map((v) => v.toLowerCase()));
  if (team.size < 2) return refuse('homeVerification.teamTooSmall', { verifiedBy: team.size });
  const visitedOn = action.visitedOn ?? today;
  if (visitedOn > today) return refuse('homeVerification.dateInFuture', { visitedOn });
  if (visitedOn < c.leadFoundOn) return refuse('homeVerification.beforeLead', { visitedOn, leadFoundOn: c.leadFoundOn });
  if (c.stage === 'homeVerification' && !action.confirmed) {
    if (!action.reasons?.length) return refuse('homeVerification.reasonMissing');
    const deadlines = { ...c.deadlines, ...rejectionDeadline(calendar, profile, today) };
    return { ok: true, to: 'rejected', reason: action.reasons.join('；'), case: { ...c, rejection: { on: today, reasons: action.reasons }, deadlines } };
  }
  const checked: CaseSnapshot = {
    ...c,
    householdFlags: { registers: [...new Set(action.registers)], noLabour: action.noLabour },
    netIncomePerCapita: action.income
      ? { ...c.netIncomePerCapita, [String(action.income.year)]: action.income.netIncomePerCapita }
      : c.netIncomePerCapita,
  };
  return c.stage === 'homeVerification' ? identificationVisit(ctx, checked) : eliminationVisit(ctx, checked);
};

function identificationVisit({ action, move, profile, today }: StepContext<'recordHomeVerification'>, c: CaseSnapshot): StepOutcome {
  if (!action.commitment || !action.authorization) return refuse('homeVerification.commitmentMissing');
  // Every pass through the home visit starts the cross-check afresh: the household's facts may have changed.
  const exemptBy: Exempt | undefined = c.householdFlags.registers.find((r) => profile.dataCrossCheck.skipFor.includes(r));
  const crossCheck: CaseSnapshot['crossCheck'] = exemptBy ? { status: 'skipped', on: today, exemptBy } : { status: 'pending' };
  // The move lists the cross-check first and what follows it second (the appraisal, or the township where there
  // is none); `rejected` (a visit that finds no risk) is last and not a way forward here.
  const onward = move.to.filter((s) => s !== 'rejected');
  const to = !exemptBy && onward.includes('dataCrossCheck') ? 'dataCrossCheck' : onward[onward.length - 1]!;
  return { ok: true, to, case: { ...c, crossCheck }, data: { crossCheck } };
}

/**
 * The elimination visit must find this year's income (the case may only hold identification-time figures).
 * When its findings fail a guard, the elimination stops and the household stays in monitoring. A year
 * without an income line is the profile's gap, not the household's: the visit is refused, naming the setting.
 */
function eliminationVisit({ action, move, profile, today }: StepContext<'recordHomeVerification'>, c: CaseSnapshot): StepOutcome {
  // Form 3: "该户“三保障”和安全饮水方面存在的问题和返贫致贫风险均已稳定消除". A team that finds otherwise stops the
  // elimination; the household stays monitored and keeps its help, for the reasons given.
  if (action.guaranteesStable === false || action.risksGone === false) {
    if (!action.reasons?.length) return refuse('elimination.holdReasonMissing');
    return { ok: true, to: 'monitoring', reason: action.reasons.join('；'), case: { ...c, elimination: null }, data: { heldBy: 'homeVerification' } };
  }
  const year = yearOf(today);
  if (profile.elimination.blockIfIncomeBelowLine && action.income?.year !== year) return refuse('elimination.incomeMissing', { year });
  const method = c.elimination?.method ?? 'byAssistance';
  const held = eliminationGuard(c, profile, today, method, true);
  if (held?.reason === 'elimination.noIncomeThreshold') return held;
  if (held) return { ok: true, to: 'monitoring', reason: held.reason, case: { ...c, elimination: null }, data: { heldBy: held.reason, ...held.detail } };
  return { ok: true, to: nextStage(move), case: c };
}

/** 信息比对 result from the county. Under 'duringNotice' it is recorded while the case stays where it is. */
export const recordCrossCheck: Step<'recordCrossCheck'> = ({ case: c, action, move, today }) => {
  if (c.crossCheck.status !== 'pending') return refuse('crossCheck.notPending', { status: c.crossCheck.status });
  const crossCheck: CaseSnapshot['crossCheck'] = { status: action.result, on: today, ...(action.note ? { note: action.note } : {}) };
  return { ok: true, to: nextStage(move), case: { ...c, crossCheck } };
};
