import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { canonicalJson } from '../../src/audit/canonical-json.js';
import { checkCaseAudit, describeAuditCheck, type AuditCheck } from '../../src/cases/audit-check.js';
import type { CaseRecord } from '../../src/cases/case-record.js';
import type { Doc } from '../../src/stores/document-store.js';
import { answers, HOUSEHOLD, openCaseWorld, vault, type CaseWorld } from '../helpers/case-world.js';
import { TEST_NOW } from '../helpers/test-app.js';
import { visit } from '../procedure/harness.js';

const CASE = '20261122-0001';
const DAY_MS = 86_400_000;

let world: CaseWorld;
afterEach(async () => world.close());

/** What an attacker with database access sees and writes: the raw documents, through the store. */
type StoredEvent = Doc & { caseId: string; seq: number; prevHash: string; hash: string; event: Record<string, unknown> };
const cases = () => world.docs.collection<CaseRecord>('cases');
const events = () => world.docs.collection<StoredEvent>('audit_events');
const check = (caseNumber = CASE): Promise<AuditCheck> => checkCaseAudit(world.docs, vault, caseNumber);

/** A declared case, accepted by the township (version 2), optionally visited (version 3). */
async function declaredAndAccepted(options: { visited?: boolean } = {}): Promise<string> {
  const { record } = await world.declarations.declare(answers(), HOUSEHOLD, TEST_NOW);
  const accepted = await world.cases.decide({ caseId: record._id, action: { type: 'acceptLead', caseVersion: 1 }, userId: 'chentownship', now: TEST_NOW });
  if (!accepted.ok) expect.fail(accepted.reason);
  if (options.visited) {
    const visited = await world.cases.decide({ caseId: record._id, action: { ...visit, caseVersion: 2 }, userId: 'wangcadre', now: new Date(TEST_NOW.getTime() + DAY_MS) });
    if (!visited.ok) expect.fail(visited.reason);
  }
  return record._id;
}

describe('the audit check against someone who can write the database', () => {
  it('finds an untouched case intact', async () => {
    world = await openCaseWorld();
    await declaredAndAccepted({ visited: true });
    expect(await check()).toEqual({ status: 'ok', caseNumber: CASE, records: 3, caseVersion: 3 });
  });

  it('finds a case whose stage was changed in the store, its trail untouched', async () => {
    world = await openCaseWorld();
    const caseId = await declaredAndAccepted();
    const stored = (await cases().get(caseId))!;
    await cases().put({ ...stored, procedure: { ...stored.procedure, stage: 'identified', identifiedOn: '2026-11-22' } });
    const result = await check();
    expect(result).toMatchObject({ status: 'broken', reason: 'stateMismatch' });
    expect(describeAuditCheck(result)).toBe(`BROKEN ${CASE}: case state does not match its trail (2 records stored, case version 2)`);
  });

  it('finds a rewritten record even when its hash and the case\'s head were recomputed', async () => {
    world = await openCaseWorld();
    const caseId = await declaredAndAccepted();
    const second = (await events().get(`${caseId}:2`))!;
    // The township "accepted" becomes someone else's act; the hash is recomputed the way the chain is built.
    const event = { ...second.event, actor: { userId: 'liucounty', role: 'countyApprover' } };
    const hash = createHash('sha256').update(second.prevHash).update(canonicalJson({ caseId, seq: 2, event })).digest('hex');
    await events().put({ ...second, event, hash });
    const stored = (await cases().get(caseId))!;
    await cases().put({ ...stored, auditHead: { seq: 2, hash } });
    expect(await check()).toMatchObject({ status: 'broken', brokenAt: 2, reason: 'altered' });
  });

  it('finds the last decision deleted and the case rolled back to exactly the state before it', async () => {
    world = await openCaseWorld();
    const { record } = await world.declarations.declare(answers(), HOUSEHOLD, TEST_NOW);
    const before = (await cases().get(record._id))!;
    await world.cases.decide({ caseId: record._id, action: { type: 'acceptLead', caseVersion: 1 }, userId: 'chentownship', now: TEST_NOW });

    const accepted = (await cases().get(record._id))!;
    const first = (await events().get(`${record._id}:1`))!;
    expect(await events().delete(`${record._id}:2`)).toBe(true);
    const rolledBack = { ...accepted.procedure, stage: 'lead' as const, version: 1 };
    // The rollback is exact: nothing in the procedure state tells it from the state before the decision.
    expect(canonicalJson(rolledBack)).toBe(canonicalJson(before.procedure));
    await cases().put({ ...accepted, procedure: rolledBack, auditHead: { seq: 1, hash: first.hash } });
    const result = await check();
    expect(result).toEqual({ status: 'broken', caseNumber: CASE, records: 1, caseVersion: 1, reason: 'headMismatch' });
    expect(describeAuditCheck(result)).toBe(`BROKEN ${CASE}: the case does not end where its trail does: a step removed or the case rolled back (1 records stored, case version 1)`);
  });

  it('finds the last decision deleted and dressed up as a step still pending', async () => {
    world = await openCaseWorld();
    const caseId = await declaredAndAccepted({ visited: true });
    const stored = (await cases().get(caseId))!;
    const last = (await events().get(`${caseId}:3`))!;
    const second = (await events().get(`${caseId}:2`))!;
    await events().delete(last._id);
    await cases().put({ ...stored, auditHead: { seq: 2, hash: second.hash }, auditPending: last.event as unknown as CaseRecord['auditPending'] });
    expect(await check()).toEqual({ status: 'broken', caseNumber: CASE, records: 2, caseVersion: 3, reason: 'headMismatch' });
  });

  it('finds a phantom case: a case document inserted without a trail', async () => {
    world = await openCaseWorld();
    const caseId = await declaredAndAccepted();
    const real = (await cases().get(caseId))!;
    const phantom = (id: string, n: string, procedure: object, extra: Partial<CaseRecord> = {}): CaseRecord =>
      ({ ...real, _id: id, caseNumber: n, procedure: { ...real.procedure, ...procedure, id }, auditHead: null, ...extra }) as CaseRecord;
    await cases().insert(phantom('phantom-1', '20261122-0901', { version: 1, stage: 'identified' }));
    await cases().insert(phantom('phantom-2', '20261122-0902', { version: 0, stage: 'identified' }));
    const opening = (await events().get(`${caseId}:1`))!.event;
    await cases().insert(phantom('phantom-3', '20261122-0903', { version: 1, stage: 'lead' }, { auditPending: { ...opening, caseId: 'phantom-3' } as unknown as CaseRecord['auditPending'] }));
    for (const n of ['20261122-0901', '20261122-0902', '20261122-0903']) {
      const result = await check(n);
      expect(result).toMatchObject({ status: 'broken', records: 0, reason: 'noTrail' });
      expect(describeAuditCheck(result)).toBe(`BROKEN ${n}: the case has no audit trail (0 records stored)`);
    }
  });

  it('refuses a step written into the case by hand as pending: the check finds it, and no load puts it in the trail', async () => {
    world = await openCaseWorld();
    const caseId = await declaredAndAccepted();
    const stored = (await cases().get(caseId))!;
    // The attacker fakes the next step (identified, skipping the procedure) as if a crash had left it pending.
    const procedure = { ...stored.procedure, version: 3, stage: 'identified' as const, identifiedOn: '2026-11-22' };
    const forged = { caseId, action: 'countyApprove', from: 'homeVerification', to: 'identified', version: 3, actor: { userId: 'liucounty', role: 'countyApprover' }, at: TEST_NOW.toISOString(), profileKey: 'hunan-2022@1' };
    await cases().put({ ...stored, procedure, auditPending: forged as CaseRecord['auditPending'] });
    expect(await check()).toMatchObject({ status: 'broken', reason: 'stateMismatch' });
    await expect(world.caseAudit.settle((await cases().get(caseId))!)).rejects.toThrow('not sealed');
    expect((await events().find({ caseId })).map((e) => e.event.action)).toEqual(['openCase', 'acceptLead']);
  });

  it('still accepts a case that crashed right after it was written: its sealed opening is pending', async () => {
    world = await openCaseWorld();
    const { record } = await world.declarations.declare(answers(), HOUSEHOLD, TEST_NOW);
    const opening = (await events().get(`${record._id}:1`))!;
    await events().delete(opening._id);
    const stored = (await cases().get(record._id))!;
    await cases().put(world.caseAudit.withPending({ ...stored, auditHead: null, auditSeal: undefined }, opening.event as unknown as NonNullable<CaseRecord['auditPending']>));
    expect(await check()).toEqual({ status: 'ok', caseNumber: CASE, records: 0, caseVersion: 1, pendingVersion: 1 });
  });
});
