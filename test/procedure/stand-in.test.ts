import { describe, expect, it } from 'vitest';
import { DEMO_ORG_FILE, loadOrgFile, parseOrg } from '../../src/org/org-file.js';
import type { CaseSnapshot } from '../../src/procedure/case-snapshot.js';
import { decide } from '../../src/procedure/decide.js';
import { openCase } from '../../src/procedure/open-case.js';
import { pendingFor } from '../../src/procedure/pending.js';
import { actingRole } from '../../src/procedure/permissions.js';
import { staffingGaps } from '../../src/procedure/staffing-gaps.js';
import { calendar, on, profile } from './harness.js';

const hunan = profile('hunan-2022');
/** The demo org as shipped: 白水乡 has no reviewer, its 石门村 a cadre but no secretary, its 河口村 nobody. */
const demo = loadOrgFile(DEMO_ORG_FILE);
const SHIMEN = '430621102201';
const TAOYUAN = '430621101201';

function leadIn(villageCode: string, org = demo): CaseSnapshot {
  const opened = openCase({ caseId: `case-${villageCode}`, villageCode, source: 'selfDeclaration', openedBy: { system: 'kf' }, profile: hunan, org, calendar, now: on('2026-11-22') });
  if (!opened.ok) throw new Error(opened.reason);
  return opened.case;
}

/** Everyone on the roster with something pending on the case. */
const whoHasWork = (c: CaseSnapshot, org = demo) => org.file.staff.flatMap((m) => pendingFor(c, m.userId, org, hunan).map((p) => ({ userId: m.userId, ...p })));

describe('a step nobody holds a role for in the village goes up the area tree', () => {
  it('a lead in 石门村 (no secretary, no township reviewer) is the county approver\'s, as a stand-in, and his alone', () => {
    const lead = leadIn(SHIMEN);
    expect(whoHasWork(lead)).toEqual([
      {
        userId: 'liucounty',
        caseId: lead.id,
        stage: 'lead',
        action: 'acceptLead',
        role: 'countyApprover',
        standsInFor: ['villageSecretary', 'townshipReviewer'],
        dueOn: '2026-12-07',
        limit: { name: 'identification', amount: 15, unit: 'natural' },
      },
    ]);
  });

  it('the stand-in is explicit in the audit trail: the role held and the roles stood in for', () => {
    const lead = leadIn(SHIMEN);
    const accepted = decide({ case: lead, action: { type: 'acceptLead', caseVersion: 1 }, actor: { userId: 'liucounty' }, profile: hunan, org: demo, calendar, now: on('2026-11-23') });
    expect(accepted).toMatchObject({ ok: true, event: { actor: { userId: 'liucounty', role: 'countyApprover', standsInFor: ['villageSecretary', 'townshipReviewer'] } } });
  });

  it('nobody stands in where someone holds an allowed role: 桃源村 has a secretary and 青山镇 a reviewer', () => {
    const lead = leadIn(TAOYUAN);
    expect(whoHasWork(lead).map((w) => [w.userId, w.standsInFor])).toEqual([
      ['lisecretary', undefined],
      ['chentownship', undefined],
    ]);
    expect(actingRole(demo, 'liucounty', TAOYUAN, ['villageSecretary', 'townshipReviewer'])).toMatchObject({ ok: false, reason: 'actor.roleNotAllowed' });
  });

  it('the nearest level stands in: a township reviewer for a village without a secretary, the county admin where there is no approver', () => {
    expect(actingRole(demo, 'chentownship', '430621101202', ['villageSecretary'])).toEqual({ ok: true, role: 'townshipReviewer', standsInFor: ['villageSecretary'] });
    expect(actingRole(demo, 'liucounty', '430621101202', ['villageSecretary'])).toMatchObject({ ok: false });
    const noApprover = parseOrg(
      JSON.stringify({ ...demo.file, staff: demo.file.staff.filter((m) => m.userId !== 'liucounty') }),
    );
    expect(whoHasWork(leadIn(SHIMEN, noApprover), noApprover).map((w) => [w.userId, w.role, w.standsInFor])).toEqual([['admin', 'admin', ['villageSecretary', 'townshipReviewer']]]);
  });

  it('a case whose named cadres have all left the village is every cadre of the village\'s again', () => {
    const lead = leadIn(SHIMEN);
    const accepted = decide({ case: lead, action: { type: 'acceptLead', caseVersion: 1, assignees: ['zhaocadre'] }, actor: { userId: 'liucounty' }, profile: hunan, org: demo, calendar, now: on('2026-11-23') });
    if (!accepted.ok) throw new Error(accepted.reason);
    const moved = parseOrg(JSON.stringify({ ...demo.file, staff: [...demo.file.staff.map((m) => (m.userId === 'zhaocadre' ? { ...m, areas: [TAOYUAN] } : m)), { userId: 'newcadre', name: '新干部', roles: ['cadre'], areas: [SHIMEN] }] }));
    expect(whoHasWork(accepted.case, moved).map((w) => [w.userId, w.action])).toContainEqual(['newcadre', 'recordHomeVerification']);
  });
});

describe('staffing gaps (warned at startup and on /readyz)', () => {
  it('names, per area, each role the procedure needs that nobody holds, and who stands in', () => {
    const messages = staffingGaps(demo, hunan).map((g) => g.message);
    expect(messages).toContain(
      "白水乡石门村 (430621102201): nobody holds villageSecretary — the countyApprover stands in for acceptLead, recordAppraisal, resolveObjection, register; add one to the org file's staff",
    );
    expect(messages.filter((m) => m.startsWith('白水乡 (430621102): nobody holds townshipReviewer — the countyApprover stands in for acceptLead,'))).toHaveLength(1);
    expect(messages.filter((m) => m.startsWith('青山镇桃源村') || m.startsWith('青山镇 ('))).toEqual([]);
    expect(staffingGaps(demo, hunan).map((g) => [g.place, g.role])).toEqual([
      ['白水乡河口村', 'cadre'],
      ['青山镇柳塘村', 'villageSecretary'],
      ['白水乡石门村', 'villageSecretary'],
      ['白水乡河口村', 'villageSecretary'],
      ['白水乡', 'townshipReviewer'],
    ]);
  });

  it('says when nobody at all may take a step', () => {
    const bare = parseOrg(JSON.stringify({ ...demo.file, staff: demo.file.staff.filter((m) => !['liucounty', 'admin'].includes(m.userId)) }));
    const shimen = staffingGaps(bare, hunan).find((g) => g.areaCode === SHIMEN && g.role === 'villageSecretary');
    expect(shimen?.unstaffed).toEqual(['acceptLead', 'recordAppraisal', 'resolveObjection', 'register']);
    expect(shimen?.message).toContain('nobody at all may take acceptLead, recordAppraisal, resolveObjection, register');
    expect(staffingGaps(bare, hunan).map((g) => g.role)).toContain('countyApprover');
  });
});
