import { noticePeriod } from '../deadlines.js';
import { refuse } from '../refusals.js';
import type { CaseSnapshot } from '../case-snapshot.js';
import { nextStage, type Step, supersedeOpenObjections } from './step.js';

/** 民主评议 confirmed by the village secretary; the public notice is posted the same day. */
export const recordAppraisal: Step<'recordAppraisal'> = ({ case: c, move, profile, calendar, today }) => {
  const notice = noticePeriod(calendar, profile, today);
  return { ok: true, to: nextStage(move), case: { ...c, notice }, data: { notice } };
};

export const recordObjection: Step<'recordObjection'> = ({ case: c, action, move, today }) => {
  const notice = runningNotice(c);
  if (today > notice.endsOn) return refuse('notice.ended', { endsOn: notice.endsOn });
  const id = `obj-${c.objections.length + 1}`;
  const raisedBy = action.raisedBy !== undefined ? { raisedBy: action.raisedBy } : {};
  const objections: CaseSnapshot['objections'] = [...c.objections, { id, raisedOn: today, ...raisedBy, summary: action.summary, status: 'open' }];
  return { ok: true, to: nextStage(move), case: { ...c, objections }, data: { objectionId: id } };
};

/**
 * An upheld objection takes the case back to the home visit (`move.to[1]`): the notice is withdrawn, other
 * open objections against it lapse, and appraisal and a new full notice follow. A dismissed one is only closed.
 */
export const resolveObjection: Step<'resolveObjection'> = ({ case: c, action, move, today }) => {
  const found = c.objections.find((o) => o.id === action.objectionId);
  if (!found) return refuse('objection.unknown', { objectionId: action.objectionId });
  if (found.status !== 'open') return refuse('objection.alreadyResolved', { status: found.status });
  const resolved = { ...found, status: action.upheld ? 'upheld' : 'dismissed', resolvedOn: today, resolution: action.reason } as const;
  const objections = c.objections.map((o) => (o.id === found.id ? resolved : o));
  if (!action.upheld) return { ok: true, to: nextStage(move), case: { ...c, objections } };
  const back: CaseSnapshot = { ...c, notice: null, objections: supersedeOpenObjections({ ...c, objections }, today) };
  if (c.stage === 'publicNotice') back.crossCheck = { status: 'pending' };
  return { ok: true, to: nextStage(move, 1), reason: action.reason, case: back };
};

/** The notice may close on its last day, once every objection against it is resolved. */
export const closeNotice: Step<'closeNotice'> = ({ case: c, move, today }) => {
  const notice = runningNotice(c);
  if (today < notice.endsOn) return refuse('notice.notEnded', notice);
  const open = c.objections.filter((o) => o.status === 'open').map((o) => o.id);
  if (open.length > 0) return refuse('notice.objectionOpen', { objectionIds: open });
  return { ok: true, to: nextStage(move), case: c };
};

function runningNotice(c: CaseSnapshot): NonNullable<CaseSnapshot['notice']> {
  if (!c.notice) throw new Error(`case ${c.id} is in ${c.stage} without a notice`);
  return c.notice;
}
