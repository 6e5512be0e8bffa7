import { describe, expect, it } from 'vitest';
import { act, eventOf, must, on, opened, profile, refused, visit } from './harness.js';

const hunan = profile('hunan-2022');

describe('Hunan 2022: identification from lead to monitoring', () => {
  it('a lead found on 2026-03-02 must be identified by 2026-03-17 (15 natural days)', () => {
    const c = opened(hunan, '2026-03-02');
    expect(c).toMatchObject({ stage: 'lead', version: 1, leadFoundOn: '2026-03-02', profileKey: 'hunan-2022@1', deadlines: { identification: '2026-03-17' } });
  });

  it('runs the cross-check during the 5-day notice; the notice closes on its 5th day, not its 4th; the county approval date is the identification date', () => {
    let c = opened(hunan, '2026-03-02');
    c = must(act(c, hunan, 'chentownship', { type: 'acceptLead', assignees: ['wangcadre'] }, '2026-03-02'));
    expect(c).toMatchObject({ stage: 'homeVerification', assignees: ['wangcadre'] });

    c = must(act(c, hunan, 'wangcadre', visit, '2026-03-03'));
    expect(c).toMatchObject({ stage: 'villageAppraisal', crossCheck: { status: 'pending' }, netIncomePerCapita: { 2026: 5200 } });

    const appraisal = act(c, hunan, 'lisecretary', { type: 'recordAppraisal' }, '2026-03-05');
    expect(eventOf(appraisal).data).toMatchObject({ notice: { startsOn: '2026-03-05', endsOn: '2026-03-10' } });
    c = must(appraisal);
    expect(c.stage).toBe('publicNotice');

    c = must(act(c, hunan, 'liucounty', { type: 'recordCrossCheck', result: 'clear' }, '2026-03-06'));
    expect(c).toMatchObject({ stage: 'publicNotice', crossCheck: { status: 'clear', on: '2026-03-06' } });

    expect(refused(act(c, hunan, 'wangcadre', { type: 'closeNotice' }, '2026-03-09'))).toEqual({
      reason: 'notice.notEnded',
      detail: { startsOn: '2026-03-05', endsOn: '2026-03-10' },
    });
    c = must(act(c, hunan, 'wangcadre', { type: 'closeNotice' }, '2026-03-10'));
    expect(c.stage).toBe('townshipReview');

    c = must(act(c, hunan, 'chentownship', { type: 'townshipApprove' }, '2026-03-11'));
    expect(c).toMatchObject({ stage: 'countyApproval', identifiedOn: null });
    c = must(act(c, hunan, 'liucounty', { type: 'countyApprove' }, '2026-03-12'));
    expect(c).toMatchObject({
      stage: 'identified',
      identifiedOn: '2026-03-12',
      deadlines: { identification: '2026-03-17', assistancePlan: '2026-03-22', measureEntry: '2026-04-12' },
    });

    c = must(act(c, hunan, 'chentownship', { type: 'register', monitoringContacts: ['wangcadre', 'zhoucadre'] }, '2026-03-13'));
    expect(c).toMatchObject({ stage: 'registered', monitoringContacts: ['wangcadre', 'zhoucadre'] });
    c = must(act(c, hunan, 'wangcadre', { type: 'recordAssistancePlan', measures: ['employment'] }, '2026-03-16'));
    expect(c).toMatchObject({ stage: 'monitoring', version: 10, assistancePlan: { plannedOn: '2026-03-16', measures: ['employment'] } });
  });

  it('the township cannot decide while the cross-check result is outstanding', () => {
    let c = opened(hunan, '2026-03-02');
    c = must(act(c, hunan, 'chentownship', { type: 'acceptLead' }, '2026-03-02'));
    c = must(act(c, hunan, 'wangcadre', visit, '2026-03-02'));
    c = must(act(c, hunan, 'lisecretary', { type: 'recordAppraisal' }, '2026-03-02'));
    c = must(act(c, hunan, 'wangcadre', { type: 'closeNotice' }, '2026-03-07'));
    expect(refused(act(c, hunan, 'chentownship', { type: 'townshipApprove' }, '2026-03-08')).reason).toBe('crossCheck.pending');
    c = must(act(c, hunan, 'liucounty', { type: 'recordCrossCheck', result: 'flagged', note: '名下有车辆一台' }, '2026-03-08'));
    expect(refused(act(c, hunan, 'liucounty', { type: 'recordCrossCheck', result: 'clear' }, '2026-03-08'))).toEqual({
      reason: 'crossCheck.notPending',
      detail: { status: 'flagged' },
    });
    // A flagged result informs the reviewer; it does not decide for them.
    expect(must(act(c, hunan, 'chentownship', { type: 'townshipApprove' }, '2026-03-08')).stage).toBe('countyApproval');
  });

  it('a 低保 household skips the cross-check by rule; the skip is recorded', () => {
    let c = opened(hunan, '2026-03-02');
    c = must(act(c, hunan, 'chentownship', { type: 'acceptLead' }, '2026-03-02'));
    c = must(act(c, hunan, 'wangcadre', { ...visit, registers: ['minimumLivingAllowance'] }, '2026-03-02'));
    expect(c.crossCheck).toEqual({ status: 'skipped', on: '2026-03-02', exemptBy: 'minimumLivingAllowance' });
    c = must(act(c, hunan, 'lisecretary', { type: 'recordAppraisal' }, '2026-03-02'));
    expect(refused(act(c, hunan, 'liucounty', { type: 'recordCrossCheck', result: 'clear' }, '2026-03-03')).reason).toBe('crossCheck.notPending');
  });

  it('the home visit needs a team of two and the signed commitment and authorization', () => {
    let c = opened(hunan, '2026-03-02');
    c = must(act(c, hunan, 'chentownship', { type: 'acceptLead' }, '2026-03-02'));
    expect(refused(act(c, hunan, 'wangcadre', { ...visit, verifiedBy: ['王建国', '王建国'] }, '2026-03-02')).reason).toBe('homeVerification.teamTooSmall');
    expect(refused(act(c, hunan, 'wangcadre', { ...visit, authorization: false }, '2026-03-02')).reason).toBe('homeVerification.commitmentMissing');
  });

  it('a refusal at a decision step closes the case with its reasons', () => {
    let c = opened(hunan, '2026-03-02');
    c = must(act(c, hunan, 'chentownship', { type: 'acceptLead' }, '2026-03-02'));
    const d = act(c, hunan, 'lisecretary', { type: 'reject', reasons: ['家庭人均纯收入明显高于监测范围', '无返贫致贫风险'] }, '2026-03-04');
    expect(eventOf(d)).toMatchObject({ from: 'homeVerification', to: 'rejected', reason: '家庭人均纯收入明显高于监测范围；无返贫致贫风险', actor: { userId: 'lisecretary', role: 'villageSecretary' } });
    expect(must(d)).toMatchObject({ stage: 'rejected', rejection: { on: '2026-03-04', reasons: ['家庭人均纯收入明显高于监测范围', '无返贫致贫风险'] } });
    expect(refused(act(must(d), hunan, 'chentownship', { type: 'acceptLead' }, '2026-03-05')).reason).toBe('action.notAllowedInStage');
  });

  it('free text never carries an ID or phone number into the case', () => {
    let c = opened(hunan, '2026-03-02');
    c = must(act(c, hunan, 'chentownship', { type: 'acceptLead' }, '2026-03-02'));
    const d = refused(act(c, hunan, 'lisecretary', { type: 'reject', reasons: ['户主 430621 19800101 1234 已有工作'] }, '2026-03-04'));
    expect(d.reason).toBe('action.invalid');
    expect(JSON.stringify(d.detail)).toContain('must not contain an ID number or a phone number');
  });

  it('a case is decided only under the profile it was opened under (anything else is a bug and throws)', () => {
    expect(() => act(opened(hunan, '2026-03-02'), profile('henan-2021'), 'chentownship', { type: 'acceptLead' }, '2026-03-02')).toThrow(
      'case case-1 was opened under hunan-2022@1, not henan-2021@1',
    );
  });

  it('events carry the actor, the role they acted under, the instant and the profile key', () => {
    const c = opened(hunan, '2026-03-02');
    expect(eventOf(act(c, hunan, 'chentownship', { type: 'acceptLead' }, '2026-03-02'))).toEqual({
      caseId: 'case-1',
      action: 'acceptLead',
      from: 'lead',
      to: 'homeVerification',
      version: 2,
      actor: { userId: 'chentownship', role: 'townshipReviewer' },
      at: on('2026-03-02').toISOString(),
      profileKey: 'hunan-2022@1',
      data: { assignees: [] },
    });
  });
});
