import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { canonicalJson } from '../../src/audit/canonical-json.js';
import { type AuditRecord, chainRecord } from '../../src/audit/hash-chain.js';
import { checkCaseAudit } from '../../src/cases/audit-check.js';
import type { CaseRecord, StoredCaseRecord } from '../../src/cases/case-record.js';
import { CaseRecordInvalidError } from '../../src/cases/case-repository.js';
import type { StoredEvent } from '../../src/privacy/case-sealer.js';
import type { ActionInput } from '../../src/procedure/actions.js';
import type { Doc } from '../../src/stores/document-store.js';
import { answers, HOUSEHOLD, openCaseWorld, vault, type CaseWorld } from '../helpers/case-world.js';
import { TEST_NOW } from '../helpers/test-app.js';
import { visit } from '../procedure/harness.js';

const CASE = '20261122-0001';
const DAY_MS = 86_400_000;
const day = (n: number) => new Date(TEST_NOW.getTime() + n * DAY_MS);

/** What staff typed about the household, and its income: none may lie in the stores in the clear. */
const INCOME = 3210;
const TEXTS = {
  fastTrackNote: '暴雨冲垮院墙',
  relief: '发放临时救助金',
  visitNote: '老伴透析',
  verifier: '青山镇周干事',
  crossCheckNote: '车管所有登记',
  objection: '他家有车',
  resolution: '车已转卖邻村',
  rejection: '收入超标',
};
/** The income as a number in the clear: 3210 not inside a longer run of letters and digits (a hash or a sealed text). */
const INCOME_IN_CLEAR = new RegExp(`(?<![0-9A-Za-z])${INCOME}(?![0-9A-Za-z])`);

type StoredTrailRecord = Doc & { caseId: string; seq: number; prevHash: string; hash: string; stateMac?: string; event: StoredEvent };

let world: CaseWorld;
afterEach(async () => world.close());

/** Every file of the embedded store, as a copy of the data directory would hold them. */
function dump(w: CaseWorld): string {
  return readdirSync(w.dataDir)
    .map((f) => readFileSync(join(w.dataDir, f), 'utf8'))
    .join('\n');
}

function expectNothingInClear(text: string): void {
  expect(text).not.toMatch(INCOME_IN_CLEAR);
  for (const secret of Object.values(TEXTS)) expect(text).not.toContain(secret);
}

/** An action without its case version (filled in from the stored case). */
type Payload = ActionInput extends infer A ? (A extends unknown ? Omit<A, 'caseVersion'> : never) : never;

async function step(w: CaseWorld, caseId: string, userId: string, action: Payload, now: Date) {
  const current = (await w.repo.get(caseId))!;
  const decision = await w.cases.decide({ caseId, action: { ...action, caseVersion: current.procedure.version } as ActionInput, userId, now });
  if (!decision.ok) expect.fail(`${action.type} refused: ${decision.reason}`);
  return decision;
}

/** A declared case that goes through relief first, a home visit, a notice with an objection, and is refused by the township. */
async function refusedAfterObjection(w: CaseWorld): Promise<string> {
  const { record } = await w.declarations.declare(answers(), HOUSEHOLD, TEST_NOW);
  const id = record._id;
  await step(w, id, 'wangcadre', { type: 'markFastTrack', hardship: 'disaster', note: TEXTS.fastTrackNote }, TEST_NOW);
  await step(w, id, 'chentownship', { type: 'recordRelief', relief: TEXTS.relief }, TEST_NOW);
  await step(w, id, 'chentownship', { type: 'acceptLead' }, TEST_NOW);
  await step(w, id, 'wangcadre', { ...visit, verifiedBy: ['王建国', TEXTS.verifier], income: { year: 2026, netIncomePerCapita: INCOME }, note: TEXTS.visitNote }, day(1));
  await step(w, id, 'lisecretary', { type: 'recordAppraisal' }, day(2));
  await step(w, id, 'wangcadre', { type: 'recordObjection', summary: TEXTS.objection }, day(3));
  await step(w, id, 'liucounty', { type: 'recordCrossCheck', result: 'clear', note: TEXTS.crossCheckNote }, day(3));
  await step(w, id, 'lisecretary', { type: 'resolveObjection', objectionId: 'obj-1', upheld: false, reason: TEXTS.resolution }, day(4));
  const endsOn = (await w.repo.get(id))!.procedure.notice!.endsOn;
  await step(w, id, 'wangcadre', { type: 'closeNotice' }, new Date(`${endsOn}T10:00:00+08:00`));
  await step(w, id, 'chentownship', { type: 'reject', reasons: [TEXTS.rejection] }, new Date(`${endsOn}T11:00:00+08:00`));
  return id;
}

describe('income and what staff type about a household, at rest', () => {
  it('lie in no store file in the clear, while the case reads back whole and its trail verifies', async () => {
    world = await openCaseWorld();
    const id = await refusedAfterObjection(world);

    const files = dump(world);
    expect(files).toContain(CASE);
    expect(files).toContain('"stage":"rejected"');
    expectNothingInClear(files);

    const c = (await world.repo.get(id))!.procedure;
    expect(c).toMatchObject({
      stage: 'rejected',
      netIncomePerCapita: { '2026': INCOME },
      fastTrack: { hardship: 'disaster', note: TEXTS.fastTrackNote, relief: TEXTS.relief },
      crossCheck: { status: 'clear', note: TEXTS.crossCheckNote },
      objections: [{ id: 'obj-1', summary: TEXTS.objection, status: 'dismissed', resolution: TEXTS.resolution }],
      rejection: { reasons: [TEXTS.rejection] },
    });
    expect(await checkCaseAudit(world.docs, vault, CASE)).toEqual({ status: 'ok', caseNumber: CASE, records: 11, caseVersion: 11 });
    // The household is still told why (the rejection reason reaches it through the outbox, not the case store).
    expect(JSON.stringify(world.notices)).toContain(TEXTS.rejection);
  });

  it('keeps in the clear what listings and queries use: stage, dates, statuses, ids, people and categories', async () => {
    world = await openCaseWorld();
    const id = await refusedAfterObjection(world);
    const stored = (await world.repo.cases.get(id))!;
    expect(stored.procedure).toMatchObject({
      version: 11,
      stage: 'rejected',
      villageCode: '430621101201',
      fastTrack: { hardship: 'disaster', markedOn: '2026-11-22' },
      crossCheck: { status: 'clear' },
      objections: [{ id: 'obj-1', status: 'dismissed', raisedOn: '2026-11-25' }],
      rejection: { on: expect.any(String) },
      sealed: expect.stringMatching(/^v1\./),
    });
    expect(stored.procedure).not.toHaveProperty('netIncomePerCapita');
    const visitStep = (await world.docs.collection<StoredTrailRecord>('audit_events').get(`${id}:5`))!.event;
    expect(visitStep).toMatchObject({ action: 'recordHomeVerification', actor: { userId: 'wangcadre' }, data: { commitment: true, noLabour: false }, sealed: expect.any(String) });
    expect(visitStep.data).not.toHaveProperty('income');
  });

  it('finds a case whose sealed part was put back from an earlier version: BROKEN, and the service refuses to read it', async () => {
    world = await openCaseWorld();
    const { record } = await world.declarations.declare(answers(), HOUSEHOLD, TEST_NOW);
    await step(world, record._id, 'chentownship', { type: 'acceptLead' }, TEST_NOW);
    await step(world, record._id, 'wangcadre', { ...visit, income: { year: 2026, netIncomePerCapita: INCOME } }, day(1));
    const visited = (await world.repo.cases.get(record._id))!;
    await step(world, record._id, 'lisecretary', { type: 'recordAppraisal' }, day(2));
    const appraised = (await world.repo.cases.get(record._id))!;
    await world.repo.cases.put({ ...appraised, procedure: { ...appraised.procedure, sealed: visited.procedure.sealed } });

    expect(await checkCaseAudit(world.docs, vault, CASE)).toMatchObject({ status: 'broken', reason: 'stateMismatch' });
    await expect(world.repo.get(record._id)).rejects.toBeInstanceOf(CaseRecordInvalidError);
  });
});

describe('a case stored before sealing came in', () => {
  /**
   * Rewrites a case and its trail exactly as the version before sealing stored them: the plain procedure state
   * and steps, chained and sealed under the same audit key.
   */
  async function asStoredBeforeSealing(w: CaseWorld, id: string): Promise<void> {
    const events = w.docs.collection<StoredTrailRecord>('audit_events');
    let previous: AuditRecord<object> | null = null;
    for (const stored of await events.find({ caseId: id }, { sort: { seq: 1 } })) {
      const plain = JSON.parse(canonicalJson(w.repo.sealer.openEvent(stored.event))) as object;
      const record: AuditRecord<object> = chainRecord(vault.auditKey, previous, id, plain, stored.stateMac);
      await events.put({ _id: stored._id, ...record } as StoredTrailRecord);
      previous = record;
    }
    const current = (await w.repo.get(id))!;
    const auditHead = { seq: previous!.seq, hash: previous!.hash };
    await w.repo.cases.put({ ...current, auditHead, auditSeal: w.audit.sealHead(id, auditHead) });
  }

  it('reads as it did and verifies; its next write seals it, and the trail still verifies across the change', async () => {
    world = await openCaseWorld();
    const { record } = await world.declarations.declare(answers(), HOUSEHOLD, TEST_NOW);
    await step(world, record._id, 'chentownship', { type: 'acceptLead' }, TEST_NOW);
    const visited = await step(world, record._id, 'wangcadre', { ...visit, income: { year: 2026, netIncomePerCapita: INCOME }, note: TEXTS.visitNote }, day(1));
    await asStoredBeforeSealing(world, record._id);

    const legacy = (await world.repo.cases.get(record._id))!;
    expect(legacy.procedure).not.toHaveProperty('sealed');
    expect(legacy.procedure).toMatchObject({ netIncomePerCapita: { '2026': INCOME } });
    expect(JSON.stringify(await world.audit.read(record._id))).toContain(TEXTS.visitNote);
    const read: CaseRecord = (await world.repo.get(record._id))!;
    expect(read.procedure).toEqual(visited.record.procedure);
    expect(await checkCaseAudit(world.docs, vault, CASE)).toEqual({ status: 'ok', caseNumber: CASE, records: 3, caseVersion: 3 });

    await step(world, record._id, 'lisecretary', { type: 'recordAppraisal' }, day(2));
    const sealed: StoredCaseRecord = (await world.repo.cases.get(record._id))!;
    expect(sealed.procedure.sealed).toMatch(/^v1\./);
    expect(JSON.stringify(sealed)).not.toMatch(INCOME_IN_CLEAR);
    expect((await world.repo.get(record._id))!.procedure).toMatchObject({ stage: 'publicNotice', version: 4, netIncomePerCapita: { '2026': INCOME } });
    expect(await checkCaseAudit(world.docs, vault, CASE)).toEqual({ status: 'ok', caseNumber: CASE, records: 4, caseVersion: 4 });
  });
});
