import { rejectionDeadline } from '../deadlines.js';
import { notVillageCadres } from '../permissions.js';
import { refuse } from '../refusals.js';
import { nextStage, type Step } from './step.js';

export const acceptLead: Step<'acceptLead'> = ({ case: c, action, move, org }) => {
  const assignees = [...new Set(action.assignees)];
  const wrong = notVillageCadres(org, assignees, c.villageCode);
  if (wrong.length > 0) return refuse('staff.notEligible', { userIds: wrong });
  return { ok: true, to: nextStage(move), case: { ...c, assignees } };
};

export const markFastTrack: Step<'markFastTrack'> = ({ case: c, action, move, today }) => {
  if (c.fastTrack) return refuse('fastTrack.alreadyMarked', { markedOn: c.fastTrack.markedOn });
  return { ok: true, to: nextStage(move), case: { ...c, fastTrack: { hardship: action.hardship, markedOn: today, note: action.note } } };
};

/** The relief given (先行救助): what, how much money if any, and when; not after today, not before the lead was found. */
export const recordRelief: Step<'recordRelief'> = ({ case: c, action, move, today }) => {
  if (!c.fastTrack) return refuse('fastTrack.notMarked');
  if (c.fastTrack.relief !== undefined) return refuse('fastTrack.reliefAlreadyRecorded', { reliefOn: c.fastTrack.reliefOn });
  const givenOn = action.givenOn ?? today;
  if (givenOn > today) return refuse('fastTrack.reliefDateInFuture', { givenOn });
  if (givenOn < c.leadFoundOn) return refuse('fastTrack.reliefBeforeLead', { givenOn, leadFoundOn: c.leadFoundOn });
  const amount = action.amount !== undefined ? { reliefAmount: action.amount } : {};
  return { ok: true, to: nextStage(move), case: { ...c, fastTrack: { ...c.fastTrack, relief: action.relief, ...amount, reliefOn: givenOn } } };
};

/** Identification refused: the case closes; the household is told why (rejectionNotice deadline where set). */
export const reject: Step<'reject'> = ({ case: c, action, move, profile, calendar, today }) => ({
  ok: true,
  to: nextStage(move),
  reason: action.reasons.join('；'),
  case: {
    ...c,
    rejection: { on: today, reasons: action.reasons },
    deadlines: { ...c.deadlines, ...rejectionDeadline(calendar, profile, today) },
  },
});
