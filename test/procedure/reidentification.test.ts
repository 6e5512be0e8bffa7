import { describe, expect, it } from 'vitest';
import { openCase } from '../../src/procedure/open-case.js';
import { act, calendar, identify, must, on, org, profile, refused, VILLAGE, visit, withLine2026 } from './harness.js';

const hunan = withLine2026(profile('hunan-2022'));

function eliminatedCase() {
  let c = identify(hunan, '2026-03-02', '2026-03-05');
  c = must(act(c, hunan, 'wangcadre', { type: 'proposeElimination', method: 'natural' }, '2026-06-01'));
  c = must(act(c, hunan, 'chentownship', { type: 'acceptEliminationProposal' }, '2026-06-01'));
  c = must(act(c, hunan, 'wangcadre', { ...visit, commitment: false, income: { year: 2026, netIncomePerCapita: 9000 } }, '2026-06-01'));
  c = must(act(c, hunan, 'wangcadre', { type: 'recordHouseholdAgreement', agrees: true }, '2026-06-01'));
  c = must(act(c, hunan, 'lisecretary', { type: 'recordAppraisal' }, '2026-06-01'));
  c = must(act(c, hunan, 'wangcadre', { type: 'closeNotice' }, '2026-06-06'));
  c = must(act(c, hunan, 'chentownship', { type: 'townshipApprove' }, '2026-06-06'));
  return must(act(c, hunan, 'liucounty', { type: 'countyApprove' }, '2026-06-08'));
}

describe('re-identification after elimination', () => {
  const base = { villageCode: VILLAGE, source: 'cadreCheck', openedBy: { userId: 'wangcadre' }, profile: hunan, org, calendar } as const;

  it('opens a new case that points back to the eliminated one; the old case keeps its history and takes no more steps', () => {
    const old = eliminatedCase();
    expect(old.stage).toBe('eliminated');
    const result = openCase({ ...base, caseId: 'case-2', previous: old, now: on('2026-11-20') });
    if (!result.ok) throw new Error(result.reason);
    expect(result.case).toMatchObject({
      id: 'case-2',
      stage: 'lead',
      version: 1,
      previousCaseId: 'case-1',
      leadFoundOn: '2026-11-20',
      householdFlags: old.householdFlags,
      netIncomePerCapita: { 2026: 9000 },
      identifiedOn: null,
      monitoringContacts: [],
      deadlines: { identification: '2026-12-05' },
    });
    expect(result.event).toMatchObject({ action: 'openCase', from: null, to: 'lead', data: { previousCaseId: 'case-1' }, actor: { userId: 'wangcadre', role: 'cadre' } });
    expect(refused(act(old, hunan, 'wangcadre', { type: 'proposeElimination', method: 'natural' }, '2026-11-20')).reason).toBe('action.notAllowedInStage');
  });

  it('refuses a new case while the household previous case is still open', () => {
    const open = identify(hunan, '2026-03-02', '2026-03-05');
    expect(openCase({ ...base, caseId: 'case-2', previous: open, now: on('2026-06-01') })).toEqual({ ok: false, reason: 'case.stillOpen', detail: { caseId: 'case-1', stage: 'monitoring' } });
  });

  it('a self-declaration is opened by the system; a lead cannot be found in the future', () => {
    const byChat = openCase({ ...base, caseId: 'case-3', source: 'selfDeclaration', openedBy: { system: 'kf' }, now: on('2026-03-02') });
    expect(byChat.ok && byChat.event.actor).toEqual({ userId: 'kf', role: 'system' });
    expect(openCase({ ...base, caseId: 'case-4', leadFoundOn: '2026-03-03', now: on('2026-03-02') })).toMatchObject({ ok: false, reason: 'action.invalid' });
    expect(openCase({ ...base, caseId: 'case-5', villageCode: '430621101', now: on('2026-03-02') })).toMatchObject({ ok: false, reason: 'action.invalid' });
  });
});
