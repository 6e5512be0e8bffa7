import { describe, expect, it } from 'vitest';
import { act, eventOf, must, opened, profile, refused, visit } from './harness.js';

const henan = profile('henan-2021');

describe('Henan 2021: cross-check before the appraisal, a 7-day notice, the township decides', () => {
  it('goes lead → home visit → cross-check → appraisal → 7-day notice → township decision → identified, with no county step', () => {
    let c = opened(henan, '2026-03-02');
    c = must(act(c, henan, 'lisecretary', { type: 'acceptLead' }, '2026-03-02'));
    c = must(act(c, henan, 'wangcadre', visit, '2026-03-03'));
    expect(c).toMatchObject({ stage: 'dataCrossCheck', crossCheck: { status: 'pending' } });
    expect(refused(act(c, henan, 'lisecretary', { type: 'recordAppraisal' }, '2026-03-03')).reason).toBe('action.notAllowedInStage');

    c = must(act(c, henan, 'liucounty', { type: 'recordCrossCheck', result: 'clear' }, '2026-03-04'));
    expect(c.stage).toBe('villageAppraisal');
    c = must(act(c, henan, 'lisecretary', { type: 'recordAppraisal' }, '2026-03-05'));
    expect(c.notice).toEqual({ startsOn: '2026-03-05', endsOn: '2026-03-12' });

    expect(refused(act(c, henan, 'wangcadre', { type: 'closeNotice' }, '2026-03-11')).reason).toBe('notice.notEnded');
    c = must(act(c, henan, 'wangcadre', { type: 'closeNotice' }, '2026-03-12'));

    const decision = act(c, henan, 'chentownship', { type: 'townshipApprove' }, '2026-03-13');
    expect(eventOf(decision)).toMatchObject({ from: 'townshipReview', to: 'identified', data: { identifiedOn: '2026-03-13' } });
    c = must(decision);
    expect(c).toMatchObject({ stage: 'identified', identifiedOn: '2026-03-13', deadlines: { assistancePlan: '2026-03-23' } });
    expect(refused(act(c, henan, 'liucounty', { type: 'countyApprove' }, '2026-03-13')).reason).toBe('action.notAllowedInStage');

    c = must(act(c, henan, 'lisecretary', { type: 'register', monitoringContacts: ['zhoucadre'] }, '2026-03-14'));
    c = must(act(c, henan, 'zhoucadre', { type: 'recordAssistancePlan', measures: ['health', 'comprehensiveSecurity'] }, '2026-03-16'));
    expect(c.stage).toBe('monitoring');
  });

  it('an exempt household goes straight from the home visit to the appraisal', () => {
    let c = opened(henan, '2026-03-02');
    c = must(act(c, henan, 'lisecretary', { type: 'acceptLead' }, '2026-03-02'));
    const d = act(c, henan, 'wangcadre', { ...visit, registers: ['extremePoverty'] }, '2026-03-03');
    expect(eventOf(d)).toMatchObject({ to: 'villageAppraisal', data: { crossCheck: { status: 'skipped', exemptBy: 'extremePoverty' } } });
  });

  it('assignees must be cadres of the household village', () => {
    const c = opened(henan, '2026-03-02');
    expect(refused(act(c, henan, 'lisecretary', { type: 'acceptLead', assignees: ['suncadre', 'lisecretary', 'nobody'] }, '2026-03-02'))).toEqual({
      reason: 'staff.notEligible',
      detail: { userIds: ['suncadre', 'lisecretary', 'nobody'] },
    });
  });
});
