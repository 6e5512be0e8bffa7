import { describe, expect, it } from 'vitest';
import { loadOrgFile, DEMO_ORG_FILE } from '../../src/org/org-file.js';
import type { CaseSnapshot } from '../../src/procedure/case-snapshot.js';
import { decide } from '../../src/procedure/decide.js';
import { handOver } from '../../src/procedure/hand-over.js';
import { act, calendar, identify, must, on, opened, org, profile, refused, visit } from './harness.js';

const hunan = profile('hunan-2022');

/** A Hunan case of 桃源村 (青山镇) at each step the tests need. */
const lead = opened(hunan, '2026-03-02');
const atVisit = must(act(lead, hunan, 'chentownship', { type: 'acceptLead' }, '2026-03-02'));
const atAppraisal = must(act(atVisit, hunan, 'wangcadre', visit, '2026-03-02'));
const atNotice = must(act(atAppraisal, hunan, 'lisecretary', { type: 'recordAppraisal' }, '2026-03-02'));
const atReview = must(act(must(act(atNotice, hunan, 'liucounty', { type: 'recordCrossCheck', result: 'clear' }, '2026-03-02')), hunan, 'wangcadre', { type: 'closeNotice' }, '2026-03-07'));
const atCounty = must(act(atReview, hunan, 'chentownship', { type: 'townshipApprove' }, '2026-03-07'));
/** The same household as if it lived in another county. */
const elsewhere = (c: CaseSnapshot): CaseSnapshot => ({ ...c, villageCode: '430622101201' });

describe('every step is checked against the actor role and area', () => {
  it.each([
    ['a cadre of another village of the same township', 'suncadre', atVisit, visit],
    ['a cadre of another township', 'zhaocadre', atVisit, visit],
    ['the secretary of another village', 'zhousecretary', atAppraisal, { type: 'recordAppraisal' }],
    ['a secretary listed for a township, not a village', 'townsecretary', atAppraisal, { type: 'recordAppraisal' }],
    ['the reviewer of another township', 'baitownship', atReview, { type: 'townshipApprove' }],
    ['the county approver, for a household of another county', 'liucounty', elsewhere(atCounty), { type: 'countyApprove' }],
  ] as const)('refuses %s (actor.outsideArea)', (_who, userId, c, action) => {
    expect(refused(act(c, hunan, userId, action, '2026-03-07')).reason).toBe('actor.outsideArea');
  });

  it('refuses a role the step does not name, and says which roles it takes', () => {
    expect(refused(act(atAppraisal, hunan, 'wangcadre', { type: 'recordAppraisal' }, '2026-03-02'))).toEqual({
      reason: 'actor.roleNotAllowed',
      detail: { allowedRoles: ['villageSecretary'] },
    });
    expect(refused(act(atCounty, hunan, 'admin', { type: 'countyApprove' }, '2026-03-07')).reason).toBe('actor.roleNotAllowed');
    expect(refused(act(atVisit, hunan, 'stranger', visit, '2026-03-02'))).toEqual({ reason: 'actor.unknown', detail: { userId: 'stranger' } });
  });

  it('works with the demo organisation too: its cadre of 石门村 cannot act in 桃源村, its cadre of 桃源村 can', () => {
    const demo = loadOrgFile(DEMO_ORG_FILE);
    const input = { case: atVisit, action: { ...visit, caseVersion: atVisit.version }, profile: hunan, org: demo, calendar, now: on('2026-03-02') };
    expect(decide({ ...input, actor: { userId: 'zhaocadre' } })).toMatchObject({ ok: false, reason: 'actor.outsideArea' });
    expect(decide({ ...input, actor: { userId: 'WangCadre' } })).toMatchObject({ ok: true, event: { actor: { role: 'cadre' } } });
  });
});

describe('hand-over to a successor', () => {
  const monitored = identify(hunan, '2026-03-02', '2026-03-05'); // monitoring contact: wangcadre
  const handOverBy = (actor: string, fromUserId: string, toUserId: string, c: CaseSnapshot = monitored) =>
    handOver({ case: c, fromUserId, toUserId, actor: { userId: actor }, org, now: on('2026-07-01') });

  it('replaces the departing cadre by the successor and records who did it', () => {
    const d = handOverBy('chentownship', 'wangcadre', 'zhoucadre');
    expect(d.ok && d.case).toMatchObject({ monitoringContacts: ['zhoucadre'], version: monitored.version + 1, stage: 'monitoring' });
    expect(d.ok && d.event).toMatchObject({
      action: 'handOver',
      from: 'monitoring',
      to: 'monitoring',
      actor: { userId: 'chentownship', role: 'townshipReviewer' },
      data: { fromUserId: 'wangcadre', toUserId: 'zhoucadre', monitoringContacts: ['zhoucadre'] },
    });
  });

  it('also moves open identification work (assignees)', () => {
    const assigned = must(act(lead, hunan, 'chentownship', { type: 'acceptLead', assignees: ['wangcadre'] }, '2026-03-02'));
    const d = handOverBy('lisecretary', 'wangcadre', 'zhoucadre', assigned);
    expect(d.ok && d.case.assignees).toEqual(['zhoucadre']);
  });

  it('refuses a successor without the role or the area, a departing user not on the case, and actors without the right', () => {
    expect(handOverBy('chentownship', 'wangcadre', 'suncadre')).toEqual({ ok: false, reason: 'handOver.successorNotEligible', detail: { userId: 'suncadre' } });
    expect(handOverBy('chentownship', 'wangcadre', 'lisecretary')).toMatchObject({ ok: false, reason: 'handOver.successorNotEligible' });
    expect(handOverBy('chentownship', 'zhoucadre', 'wangcadre')).toMatchObject({ ok: false, reason: 'handOver.notAssigned' });
    expect(handOverBy('chentownship', 'wangcadre', 'WANGCADRE')).toMatchObject({ ok: false, reason: 'handOver.sameUser' });
    expect(handOverBy('wangcadre', 'wangcadre', 'zhoucadre')).toMatchObject({ ok: false, reason: 'actor.roleNotAllowed' });
    expect(handOverBy('baitownship', 'wangcadre', 'zhoucadre')).toMatchObject({ ok: false, reason: 'actor.outsideArea' });
    expect(handOverBy('admin', 'wangcadre', 'zhoucadre', elsewhere(monitored))).toMatchObject({ ok: false, reason: 'actor.outsideArea' });
    expect(handOverBy('admin', 'wangcadre', 'zhoucadre')).toMatchObject({ ok: true });
  });
});
