import { describe, expect, it } from 'vitest';
import { pendingFor } from '../../src/procedure/pending.js';
import type { CaseSnapshot } from '../../src/procedure/case-snapshot.js';
import { act, identify, must, opened, org, profile, visit } from './harness.js';

const hunan = profile('hunan-2022');
const pending = (c: CaseSnapshot, userId: string) => pendingFor(c, userId, org, hunan).map(({ caseId: _id, stage: _stage, limit: _limit, ...p }) => p);

describe('pendingFor (我的待办)', () => {
  const lead = opened(hunan, '2026-03-02');

  it('a new lead waits for the village secretary or the township to accept it, by the identification deadline', () => {
    expect(pending(lead, 'chentownship')).toEqual([{ action: 'acceptLead', role: 'townshipReviewer', dueOn: '2026-03-17' }]);
    expect(pending(lead, 'lisecretary')).toEqual([{ action: 'acceptLead', role: 'villageSecretary', dueOn: '2026-03-17' }]);
    expect(pending(lead, 'wangcadre')).toEqual([]);
    expect(pending(lead, 'zhousecretary')).toEqual([]);
    expect(pending(lead, 'nobody')).toEqual([]);
  });

  it('a self-declaration counts against the profile acceptance limit where it sets one', () => {
    const withAcceptance = { ...hunan, limits: { ...hunan.limits, declarationAcceptance: { amount: 2, unit: 'working' as const } } };
    const declared = opened(withAcceptance, '2026-03-06', { source: 'selfDeclaration' }); // a Friday
    expect(pendingFor(declared, 'chentownship', org, withAcceptance)[0]).toMatchObject({
      dueOn: '2026-03-10',
      limit: { name: 'declarationAcceptance', amount: 2, unit: 'working' },
    });
  });

  it('names the limit each due date comes from, so cards and lists can say it', () => {
    expect(pendingFor(lead, 'chentownship', org, hunan)[0]?.limit).toEqual({ name: 'identification', ...hunan.limits.identification });
  });

  it('cadre steps go to the assignees only, once there are any', () => {
    const assigned = must(act(lead, hunan, 'chentownship', { type: 'acceptLead', assignees: ['zhoucadre'] }, '2026-03-02'));
    expect(pending(assigned, 'zhoucadre')).toEqual([{ action: 'recordHomeVerification', role: 'cadre', dueOn: '2026-03-17' }]);
    expect(pending(assigned, 'wangcadre')).toEqual([]);
    expect(pending(assigned, 'chentownship')).toEqual([{ action: 'recordHomeVerification', role: 'townshipReviewer', dueOn: '2026-03-17' }]);
  });

  it('during the notice: the county has the cross-check, the village closes from the last day, an objection goes to the secretary first', () => {
    let c = must(act(lead, hunan, 'chentownship', { type: 'acceptLead' }, '2026-03-02'));
    c = must(act(c, hunan, 'wangcadre', visit, '2026-03-02'));
    c = must(act(c, hunan, 'lisecretary', { type: 'recordAppraisal' }, '2026-03-05'));
    expect(pending(c, 'liucounty')).toEqual([{ action: 'recordCrossCheck', role: 'countyApprover', dueOn: '2026-03-17' }]);
    expect(pending(c, 'wangcadre')).toEqual([{ action: 'closeNotice', role: 'cadre', dueOn: '2026-03-17', availableFrom: '2026-03-10' }]);
    c = must(act(c, hunan, 'wangcadre', { type: 'recordObjection', summary: '该户有小汽车一台' }, '2026-03-06'));
    expect(pending(c, 'wangcadre')).toEqual([]);
    expect(pending(c, 'lisecretary').map((p) => p.action)).toEqual(['resolveObjection']);
  });

  it('fast track: only the relief is pending until it is recorded', () => {
    const marked = must(act(lead, hunan, 'wangcadre', { type: 'markFastTrack', hardship: 'accident', note: '交通事故致重伤' }, '2026-03-02'));
    expect(pending(marked, 'chentownship')).toEqual([{ action: 'recordRelief', role: 'townshipReviewer', dueOn: '2026-03-17' }]);
    expect(pending(marked, 'liucounty').map((p) => p.action)).toEqual(['recordRelief']);
  });

  it('after identification the plan is due to the monitoring contacts; its entry in the national system within the month; then nothing is pending', () => {
    const monitored = identify(hunan, '2026-03-02', '2026-03-05');
    const registered: CaseSnapshot = { ...monitored, stage: 'registered', assistancePlan: null, monitoringContacts: ['zhoucadre'] };
    expect(pending(registered, 'zhoucadre')).toEqual([{ action: 'recordAssistancePlan', role: 'cadre', dueOn: '2026-03-20' }]);
    expect(pending(registered, 'wangcadre')).toEqual([]);
    const planned: CaseSnapshot = { ...monitored, monitoringContacts: ['zhoucadre'], assistancePlan: { plannedOn: '2026-03-12', measures: ['employment'] } };
    expect(pending(planned, 'chentownship')).toEqual([{ action: 'recordMeasureEntry', role: 'townshipReviewer', dueOn: monitored.deadlines.measureEntry }]);
    expect(pending(planned, 'zhoucadre')).toEqual([{ action: 'recordMeasureEntry', role: 'cadre', dueOn: monitored.deadlines.measureEntry }]);
    const entered: CaseSnapshot = { ...planned, assistancePlan: { ...planned.assistancePlan!, enteredOn: '2026-03-14' } };
    expect(pending(entered, 'zhoucadre')).toEqual([]);
    expect(pending(entered, 'chentownship')).toEqual([]);
  });
});
