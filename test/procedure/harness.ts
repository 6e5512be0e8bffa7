import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { loadOrgFile } from '../../src/org/org-file.js';
import type { Org } from '../../src/org/org.js';
import { loadWorkCalendar } from '../../src/policy/calendar-loader.js';
import type { PolicyProfile } from '../../src/policy/profile.js';
import { loadProfiles } from '../../src/policy/profile-loader.js';
import type { ActionInput } from '../../src/procedure/actions.js';
import type { CaseSnapshot, LeadSource } from '../../src/procedure/case-snapshot.js';
import { decide, type Decision } from '../../src/procedure/decide.js';
import { openCase } from '../../src/procedure/open-case.js';
import type { TransitionEvent } from '../../src/procedure/transition-event.js';

export const FIXTURES = fileURLToPath(new URL('../fixtures/procedure/', import.meta.url));
export const profiles = loadProfiles();
export const calendar = loadWorkCalendar();
/** The demo organisation plus a few more staff (see the fixture's header). */
export const org: Org = loadOrgFile(`${FIXTURES}org.yaml`);

/** 桃源村 of 青山镇, where most test households live. */
export const VILLAGE = '430621101201';

export function profile(id: string): PolicyProfile {
  const p = profiles.find((x) => x.id === id);
  if (!p) throw new Error(`no shipped profile ${id}`);
  return p;
}

/**
 * A shipped profile with an income line for 2026 added. The shipped profiles have none after 2023 (no
 * source found), so without this every elimination in 2026 is refused with elimination.noIncomeThreshold.
 */
export function withLine2026(p: PolicyProfile, line = 7000): PolicyProfile {
  return { ...p, incomeThreshold: { ...p.incomeThreshold, perYear: { ...p.incomeThreshold.perYear, '2026': line } } };
}

/** 10:00 in China on a date. */
export function on(date: string, time = '10:00'): Date {
  return new Date(`${date}T${time}:00+08:00`);
}

type Payload = ActionInput extends infer A ? (A extends unknown ? Omit<A, 'caseVersion'> & { caseVersion?: number } : never) : never;

/** Opens a lead in 桃源村 found by a cadre. */
export function opened(p: PolicyProfile, date: string, options: { source?: LeadSource; caseId?: string; previous?: CaseSnapshot } = {}): CaseSnapshot {
  const result = openCase({
    caseId: options.caseId ?? 'case-1',
    villageCode: VILLAGE,
    source: options.source ?? 'cadreCheck',
    openedBy: { userId: 'wangcadre' },
    ...(options.previous ? { previous: options.previous } : {}),
    profile: p,
    org,
    calendar,
    now: on(date),
  });
  if (!result.ok) throw new Error(`openCase refused: ${result.reason}`);
  return result.case;
}

/** One decision by `userId` on `date`, made on the case's current version unless the action names one. */
export function act(c: CaseSnapshot, p: PolicyProfile, userId: string, action: Payload, date: string): Decision {
  return decide({ case: c, action: { caseVersion: c.version, ...action } as ActionInput, actor: { userId }, profile: p, org, calendar, now: on(date) });
}

/** The decision must be accepted; returns the new case. */
export function must(decision: Decision): CaseSnapshot {
  if (!decision.ok) expect.fail(`refused: ${decision.reason} ${JSON.stringify(decision.detail ?? {})}`);
  return decision.case;
}

/** The decision must be refused; returns the reason and detail. */
export function refused(decision: Decision): { reason: string; detail?: Record<string, unknown> } {
  if (decision.ok) expect.fail(`accepted: ${decision.event.from} → ${decision.event.to}`);
  return { reason: decision.reason, ...(decision.detail ? { detail: decision.detail } : {}) };
}

/** The accepted decision's event. */
export function eventOf(decision: Decision): TransitionEvent {
  if (!decision.ok) expect.fail(`refused: ${decision.reason}`);
  return decision.event;
}

/** A home visit by a team of two that found nothing exempting the household. */
export const visit: Extract<Payload, { type: 'recordHomeVerification' }> = {
  type: 'recordHomeVerification',
  verifiedBy: ['王建国', '青山镇 张干事'],
  commitment: true,
  authorization: true,
  income: { year: 2026, netIncomePerCapita: 5200 },
  noLabour: false,
  registers: [],
};

/**
 * Plays an identification from a new lead to `monitoring`, with the notice posted on `appraisalOn`
 * and closed on its last day; every later step on that last day. Under a profile without a village
 * appraisal (Xuwen) the township decides on `appraisalOn`.
 */
export function identify(p: PolicyProfile, leadOn: string, appraisalOn: string): CaseSnapshot {
  let c = opened(p, leadOn);
  c = must(act(c, p, 'chentownship', { type: 'acceptLead' }, leadOn));
  c = must(act(c, p, 'wangcadre', visit, leadOn));
  if (c.stage === 'dataCrossCheck') c = must(act(c, p, 'liucounty', { type: 'recordCrossCheck', result: 'clear' }, leadOn));
  let decidedOn = appraisalOn;
  if (c.stage === 'villageAppraisal') {
    c = must(act(c, p, 'lisecretary', { type: 'recordAppraisal' }, appraisalOn));
    if (c.crossCheck.status === 'pending') c = must(act(c, p, 'liucounty', { type: 'recordCrossCheck', result: 'clear' }, appraisalOn));
    decidedOn = c.notice!.endsOn;
    c = must(act(c, p, 'wangcadre', { type: 'closeNotice' }, decidedOn));
  }
  c = must(act(c, p, 'chentownship', { type: 'townshipApprove' }, decidedOn));
  if (c.stage === 'countyApproval') c = must(act(c, p, 'liucounty', { type: 'countyApprove' }, decidedOn));
  c = must(act(c, p, 'chentownship', { type: 'register', monitoringContacts: ['wangcadre'] }, decidedOn));
  return must(act(c, p, 'wangcadre', { type: 'recordAssistancePlan', measures: ['employment', 'industry'] }, decidedOn));
}
