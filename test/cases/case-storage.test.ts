import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CaseRecord } from '../../src/cases/case-record.js';
import { answers, HOUSEHOLD, openCaseWorld, type CaseWorld } from '../helpers/case-world.js';
import { TEST_NOW } from '../helpers/test-app.js';

describe('a self-declaration stored as a case', () => {
  let world: CaseWorld;
  beforeEach(async () => {
    world = await openCaseWorld();
  });
  afterEach(async () => world.close());

  it('is opened by the procedure at lead under the Hunan profile, by the system on the kf channel', async () => {
    const result = await world.declarations.declare(answers(), HOUSEHOLD, TEST_NOW);
    expect(result.kind).toBe('created');
    const stored = (await world.repo.get(result.record._id))!;
    expect(stored.procedure).toMatchObject({
      id: stored._id,
      version: 1,
      stage: 'lead',
      villageCode: '430621101201',
      source: 'selfDeclaration',
      profileKey: 'hunan-2022@1',
      leadFoundOn: '2026-11-22',
      deadlines: { identification: '2026-12-07' },
    });
    expect(stored.auditPending).toBeUndefined();
  });

  it('records the opening as the first audit record, and the case knows its head', async () => {
    const { record } = await world.declarations.declare(answers(), HOUSEHOLD, TEST_NOW);
    const [opening, ...more] = await world.audit.read(record._id);
    expect(more).toEqual([]);
    expect(opening!.event).toMatchObject({ action: 'openCase', from: null, to: 'lead', version: 1, actor: { userId: 'kf', role: 'system' }, profileKey: 'hunan-2022@1' });
    const stored = (await world.repo.get(record._id))!;
    expect(stored.auditHead).toEqual({ seq: 1, hash: opening!.hash });
    expect(await world.audit.verifyCase(record._id, stored.auditHead!)).toEqual({ ok: true });
  });

  it('a step written without its audit record (a crash in between) is appended by the next load, once', async () => {
    const { record } = await world.declarations.declare(answers(), HOUSEHOLD, TEST_NOW);
    const stored = (await world.repo.get(record._id))!;
    const step = { ...stored.procedure, version: 2, stage: 'homeVerification' as const };
    const event = { caseId: stored._id, action: 'acceptLead' as const, from: 'lead' as const, to: 'homeVerification' as const, version: 2, actor: { userId: 'chentownship', role: 'townshipReviewer' as const }, at: TEST_NOW.toISOString(), profileKey: 'hunan-2022@1', data: { assignees: [] } };
    const crashed: CaseRecord = world.caseAudit.withPending({ ...stored, procedure: step }, event);
    await world.repo.cases.put(crashed);

    const [a, b] = await Promise.all([world.caseAudit.settle(crashed), world.caseAudit.settle(crashed)]);
    expect(a.auditHead).toEqual(b.auditHead);
    expect((await world.audit.read(stored._id)).map((r) => r.event.action)).toEqual(['openCase', 'acceptLead']);
    const settled = (await world.repo.get(stored._id))!;
    expect(settled.auditPending).toBeUndefined();
    expect(settled.auditHead?.seq).toBe(2);
  });

  it('keeps one open case per household: a second declaration gets the open one', async () => {
    const first = await world.declarations.declare(answers(), HOUSEHOLD, TEST_NOW);
    const second = await world.declarations.declare(answers({ phone: '13900000000' }), { ...HOUSEHOLD, externalUserId: 'wmOther' }, TEST_NOW);
    expect(second).toMatchObject({ kind: 'duplicate', record: { _id: first.record._id } });
    expect(await world.repo.cases.count({})).toBe(1);
  });
});
