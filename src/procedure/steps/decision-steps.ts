import { identificationDeadlines } from '../deadlines.js';
import { eliminationGuard } from '../elimination-guards.js';
import { notVillageCadres } from '../permissions.js';
import { refuse } from '../refusals.js';
import type { CaseSnapshot } from '../case-snapshot.js';
import { nextStage, type Step, type StepContext, type StepOutcome } from './step.js';

/** 乡镇审核: under 'townshipDecidesCountyFiles' this decides (the county files it); otherwise it goes to the county. */
export const townshipApprove: Step<'townshipApprove'> = (ctx) => {
  const { case: c } = ctx;
  if (c.stage === 'townshipReview' && c.crossCheck.status === 'pending') return refuse('crossCheck.pending');
  return finalOrForward(ctx);
};

/** 县级审定: its date is the identification date (Hunan). */
export const countyApprove: Step<'countyApprove'> = (ctx) => finalOrForward(ctx);

function finalOrForward(ctx: Omit<StepContext, 'action'>): StepOutcome {
  const { case: c, move, profile, calendar, today } = ctx;
  const to = nextStage(move);
  if (to === 'identified') {
    const decided: CaseSnapshot = { ...c, identifiedOn: today, deadlines: { ...c.deadlines, ...identificationDeadlines(calendar, profile, today) } };
    return { ok: true, to, case: decided, data: { identifiedOn: today } };
  }
  if (to === 'eliminated') {
    // Guards again at the decision: the year may have turned since the home visit.
    const refused = eliminationGuard(c, profile, today, c.elimination?.method ?? 'byAssistance', true);
    if (refused) return refused;
    return { ok: true, to, case: { ...c, eliminatedOn: today }, data: { eliminatedOn: today } };
  }
  return { ok: true, to, case: c };
}

/** 录入建档: 1–3 cadres of the household's village become its monitoring contacts. */
export const register: Step<'register'> = ({ case: c, action, move, org }) => {
  const monitoringContacts = [...new Set(action.monitoringContacts)];
  const wrong = notVillageCadres(org, monitoringContacts, c.villageCode);
  if (wrong.length > 0) return refuse('staff.notEligible', { userIds: wrong });
  return { ok: true, to: nextStage(move), case: { ...c, monitoringContacts } };
};

export const recordAssistancePlan: Step<'recordAssistancePlan'> = ({ case: c, action, move, today }) => {
  const seen = new Set<string>();
  const measures = action.measures.filter((m) => {
    const key = JSON.stringify(m);
    return !seen.has(key) && seen.add(key);
  });
  return { ok: true, to: nextStage(move), case: { ...c, assistancePlan: { plannedOn: today, measures } } };
};

/** 帮扶措施录入: the day the plan went into the national system; not before it was planned, not after today. */
export const recordMeasureEntry: Step<'recordMeasureEntry'> = ({ case: c, action, move, today }) => {
  if (!c.assistancePlan) return refuse('measureEntry.noPlan');
  if (c.assistancePlan.enteredOn) return refuse('measureEntry.alreadyEntered', { enteredOn: c.assistancePlan.enteredOn });
  if (action.enteredOn > today) return refuse('measureEntry.dateInFuture', { enteredOn: action.enteredOn });
  if (action.enteredOn < c.assistancePlan.plannedOn) return refuse('measureEntry.beforePlan', { enteredOn: action.enteredOn, plannedOn: c.assistancePlan.plannedOn });
  return { ok: true, to: nextStage(move), case: { ...c, assistancePlan: { ...c.assistancePlan, enteredOn: action.enteredOn } } };
};
