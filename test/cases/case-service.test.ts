import { afterEach, describe, expect, it } from 'vitest';
import type { ActionInput } from '../../src/procedure/actions.js';
import { answers, HOUSEHOLD, openCaseWorld, profiles, type CaseWorld } from '../helpers/case-world.js';
import { TEST_NOW } from '../helpers/test-app.js';
import { visit, withLine2026 } from '../procedure/harness.js';

const DAY_MS = 86_400_000;
/** An action without its case version (filled in from the stored case). */
type Payload = ActionInput extends infer A ? (A extends unknown ? Omit<A, 'caseVersion'> : never) : never;
const day = (n: number) => new Date(TEST_NOW.getTime() + n * DAY_MS);

let world: CaseWorld;
afterEach(async () => world.close());

/** A declared case taken to the village appraisal (accepted by the township, visited by two). */
async function atAppraisal(w: CaseWorld): Promise<string> {
  const { record } = await w.declarations.declare(answers(), HOUSEHOLD, TEST_NOW);
  await must(w, record._id, 'chentownship', { type: 'acceptLead', caseVersion: 1 }, TEST_NOW);
  await must(w, record._id, 'wangcadre', { ...visit, caseVersion: 2 }, day(1));
  return record._id;
}

async function must(w: CaseWorld, caseId: string, userId: string, action: ActionInput, now: Date) {
  const decision = await w.cases.decide({ caseId, action, userId, now });
  if (!decision.ok) expect.fail(`refused: ${decision.reason}`);
  return decision;
}

describe('CaseService: staff decisions on stored cases', () => {
  it('applies a decision, stores the new version and appends its step to the audit chain', async () => {
    world = await openCaseWorld();
    const caseId = await atAppraisal(world);
    const d = await must(world, caseId, 'lisecretary', { type: 'recordAppraisal', caseVersion: 3 }, day(2));
    expect(d.record.procedure).toMatchObject({ stage: 'publicNotice', version: 4, notice: { startsOn: '2026-11-24', endsOn: '2026-11-29' } });
    const trail = await world.audit.read(caseId);
    expect(trail.map((r) => [r.seq, r.event.action])).toEqual([[1, 'openCase'], [2, 'acceptLead'], [3, 'recordHomeVerification'], [4, 'recordAppraisal']]);
    const stored = (await world.repo.get(caseId))!;
    expect(stored.auditHead).toEqual({ seq: 4, hash: trail[3]!.hash });
    expect(await world.audit.verifyCase(caseId, stored.auditHead!)).toEqual({ ok: true });
  });

  it('a decision made on an older version is told the case has moved on, and nothing is written', async () => {
    world = await openCaseWorld();
    const caseId = await atAppraisal(world);
    const stale = await world.cases.decide({ caseId, action: { type: 'acceptLead', caseVersion: 1 }, userId: 'chentownship', now: day(2) });
    expect(stale).toMatchObject({ ok: false, reason: 'case.movedOn', detail: { caseVersion: 3, stage: 'villageAppraisal' } });
    expect((await world.audit.read(caseId)).length).toBe(3);
  });

  it('of two decisions on the same version at the same moment, one applies and the other is told it moved on', async () => {
    world = await openCaseWorld();
    const caseId = await atAppraisal(world);
    const [a, b] = await Promise.all([
      world.cases.decide({ caseId, action: { type: 'recordAppraisal', caseVersion: 3 }, userId: 'lisecretary', now: day(2) }),
      world.cases.decide({ caseId, action: { type: 'reject', reasons: ['收入高于监测范围'], caseVersion: 3 }, userId: 'chentownship', now: day(2) }),
    ]);
    expect([a.ok, b.ok].sort()).toEqual([false, true]);
    expect([a, b].find((d) => !d.ok)).toMatchObject({ reason: 'case.movedOn' });
    const trail = await world.audit.read(caseId);
    expect(trail).toHaveLength(4);
    expect(await world.audit.verifyCase(caseId, (await world.repo.get(caseId))!.auditHead!)).toEqual({ ok: true });
  });

  it('decides under the profile the case was opened under, even when a newer one is in force', async () => {
    const hunan = profiles.find((p) => p.id === 'hunan-2022')!;
    const newer = { ...hunan, version: 2, effectiveFrom: '2026-11-23', limits: { ...hunan.limits, publicNotice: { amount: 7, unit: 'natural' as const } } };
    world = await openCaseWorld(undefined, { decideUnder: [...profiles, newer] });
    const caseId = await atAppraisal(world);
    const d = await must(world, caseId, 'lisecretary', { type: 'recordAppraisal', caseVersion: 3 }, day(2));
    expect(d.record.procedure).toMatchObject({ profileKey: 'hunan-2022@1', notice: { endsOn: '2026-11-29' } });
  });

  it('a rejection frees the household for a new declaration and tells the household why and how to ask for a re-check', async () => {
    world = await openCaseWorld();
    const caseId = await atAppraisal(world);
    await must(world, caseId, 'lisecretary', { type: 'reject', reasons: ['家庭人均纯收入高于监测范围'], caseVersion: 3 }, day(2));
    expect(await world.repo.openHouseholds.count({})).toBe(0);
    expect(world.notices).toHaveLength(1);
    expect(world.notices[0]!.to).toEqual(HOUSEHOLD);
    const text = world.notices[0]!.messages.map((m) => (m.type === 'text' ? m.text : '')).join('');
    expect(text).toContain('案件编号 20261122-0001');
    expect(text).toContain('经办人员写明的原因（原话）：「家庭人均纯收入高于监测范围」。');
    expect(text).toContain('可以向青山镇申请复核');

    const again = await world.declarations.declare(answers(), HOUSEHOLD, day(3));
    expect(again.kind).toBe('created');
    expect(again.record.procedure).toMatchObject({ stage: 'lead', previousCaseId: caseId, netIncomePerCapita: { 2026: 5200 } });
  });

  it('the household is told it is identified, what help is planned, and that its risk is eliminated; the household is freed and the whole trail verifies', async () => {
    const withLine = profiles.map((p) => (p.id === 'hunan-2022' ? withLine2026(p) : p));
    world = await openCaseWorld(undefined, { decideUnder: withLine });
    const caseId = await atAppraisal(world);
    const steps: [string, Payload, number][] = [
      ['lisecretary', { type: 'recordAppraisal' }, 1],
      ['liucounty', { type: 'recordCrossCheck', result: 'clear' }, 2],
      ['wangcadre', { type: 'closeNotice' }, 6],
      ['chentownship', { type: 'townshipApprove' }, 6],
      ['liucounty', { type: 'countyApprove' }, 6],
      ['chentownship', { type: 'register', monitoringContacts: ['wangcadre'] }, 6],
      ['wangcadre', { type: 'recordAssistancePlan', measures: ['employment'] }, 7],
      ['wangcadre', { type: 'proposeElimination', method: 'natural', income: { year: 2026, netIncomePerCapita: 9000 } }, 8],
      ['chentownship', { type: 'acceptEliminationProposal' }, 8],
      ['wangcadre', { ...visit, income: { year: 2026, netIncomePerCapita: 9000 } }, 8],
      ['wangcadre', { type: 'recordHouseholdAgreement', agrees: true }, 8],
      ['lisecretary', { type: 'recordAppraisal' }, 8],
      ['wangcadre', { type: 'closeNotice' }, 13],
      ['chentownship', { type: 'townshipApprove' }, 13],
      ['liucounty', { type: 'countyApprove' }, 13],
    ];
    for (const [userId, action, n] of steps) {
      const current = (await world.repo.get(caseId))!;
      await must(world, caseId, userId, { ...action, caseVersion: current.procedure.version } as ActionInput, day(n));
    }
    const done = (await world.repo.get(caseId))!;
    expect(done.procedure).toMatchObject({ stage: 'eliminated', eliminatedOn: '2026-12-05', identifiedOn: '2026-11-28' });
    expect(await world.repo.openHouseholds.count({})).toBe(0);
    expect(world.notices.map((n) => n.to)).toEqual([HOUSEHOLD, HOUSEHOLD, HOUSEHOLD]);
    expect(world.notices.map((n) => n.messages.map((m) => (m.type === 'text' ? m.text : '')).join(''))).toEqual([
      expect.stringContaining('已于2026年11月28日纳入防止返贫监测帮扶'),
      expect.stringContaining('帮扶措施已经定下来了：帮助就业、外出务工。'),
      expect.stringMatching(/已于2026年12月5日标注为风险消除。您家的帮扶记录会一直保留；按照“四个不摘”的要求/),
    ]);
    expect(await world.audit.verifyCase(caseId, done.auditHead!)).toEqual({ ok: true });
    expect(done.auditHead!.seq).toBe(done.procedure.version);
  });

  it('a cadre who leaves hands every open case naming them to a successor, each step audited; an ineligible successor is refused', async () => {
    world = await openCaseWorld();
    const caseId = await atAppraisal(world);
    const steps: [string, Payload, number][] = [
      ['lisecretary', { type: 'recordAppraisal' }, 2],
      ['wangcadre', { type: 'closeNotice' }, 7],
      ['chentownship', { type: 'townshipApprove' }, 7],
      ['liucounty', { type: 'countyApprove' }, 7],
      ['chentownship', { type: 'register', monitoringContacts: ['wangcadre'] }, 7],
    ];
    for (const [userId, action, n] of steps) {
      const current = (await world.repo.get(caseId))!;
      const d = await world.cases.decide({ caseId, action: { ...action, caseVersion: current.procedure.version } as ActionInput, userId, now: day(n) });
      if (!d.ok && d.reason === 'crossCheck.pending') {
        await must(world, caseId, 'liucounty', { type: 'recordCrossCheck', result: 'clear', caseVersion: current.procedure.version }, day(n));
        const again = (await world.repo.get(caseId))!;
        await must(world, caseId, userId, { ...action, caseVersion: again.procedure.version } as ActionInput, day(n));
      } else if (!d.ok) expect.fail(`refused: ${d.reason}`);
    }
    expect((await world.repo.get(caseId))!.procedure.monitoringContacts).toEqual(['wangcadre']);

    const wrong = await world.cases.handOverAll({ fromUserId: 'wangcadre', toUserId: 'zhaocadre', userId: 'lisecretary', now: day(8) });
    expect(wrong).toEqual({ moved: [], refused: [{ caseNumber: '20261122-0001', reason: 'handOver.successorNotEligible' }] });

    const done = await world.cases.handOverAll({ fromUserId: 'wangcadre', toUserId: 'zhoucadre', userId: 'lisecretary', now: day(8) });
    expect(done).toEqual({ moved: ['20261122-0001'], refused: [] });
    const stored = (await world.repo.get(caseId))!;
    expect(stored.procedure.monitoringContacts).toEqual(['zhoucadre']);
    const trail = await world.audit.read(caseId);
    expect(trail.at(-1)!.event).toMatchObject({ action: 'handOver', actor: { userId: 'lisecretary', role: 'villageSecretary' }, data: { fromUserId: 'wangcadre', toUserId: 'zhoucadre' } });
    expect(await world.audit.verifyCase(caseId, stored.auditHead!)).toEqual({ ok: true });
  });

  it('refusals are logged by reason, case number and user, with nothing the staff member typed', async () => {
    world = await openCaseWorld();
    const caseId = await atAppraisal(world);
    const refused = await world.cases.decide({ caseId, action: { type: 'reject', reasons: ['户主电话 13812345678 已有工作'], caseVersion: 3 }, userId: 'wangcadre', now: day(2) });
    expect(refused).toMatchObject({ ok: false, reason: 'action.invalid' });
    const outside = await world.cases.decide({ caseId, action: { type: 'recordAppraisal', caseVersion: 3 }, userId: 'zhaocadre', now: day(2) });
    expect(outside).toMatchObject({ ok: false, reason: 'actor.roleNotAllowed' });
    const lines = world.logs.filter((l) => l.includes('case decision refused')).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => [l.reason, l.caseNumber, l.userId])).toEqual([
      ['action.invalid', '20261122-0001', 'wangcadre'],
      ['actor.roleNotAllowed', '20261122-0001', 'zhaocadre'],
    ]);
    const logs = world.logs.join('');
    for (const secret of ['13812345678', '张德福', '430621195805121238', '尿毒症']) expect(logs).not.toContain(secret);
  });

  it('an unknown case is refused as such', async () => {
    world = await openCaseWorld();
    expect(await world.cases.decide({ caseId: 'nope', action: { type: 'acceptLead', caseVersion: 1 }, userId: 'chentownship', now: TEST_NOW })).toMatchObject({ ok: false, reason: 'case.unknown' });
  });
});
