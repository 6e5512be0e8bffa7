import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { checkCaseAudit, describeAuditCheck } from '../../src/cases/audit-check.js';
import type { CaseRecord } from '../../src/cases/case-record.js';
import type { Doc } from '../../src/stores/document-store.js';
import { EmbeddedDocumentStore } from '../../src/stores/document-store.embedded.js';
import { answers, HOUSEHOLD, openCaseWorld, vault, type CaseWorld } from '../helpers/case-world.js';
import { TEST_DATA_KEY, TEST_NOW } from '../helpers/test-app.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

let world: CaseWorld;
afterEach(async () => world.close());

/**
 * The script as an operator runs it (`npm run audit:verify -- <caseNumber>`), on the embedded store in DATA_DIR,
 * with the data key from DATA_KEY when given, else from DATA_DIR/data.key as the service does in local mode.
 */
function runScript(dataDir: string, dataKey: string | undefined, ...args: string[]) {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('WECOM_') && k !== 'MONGODB_URL' && k !== 'DATA_KEY'));
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/audit-verify.ts', ...args], {
    cwd: ROOT,
    env: { ...env, DATA_DIR: dataDir, ...(dataKey ? { DATA_KEY: dataKey } : {}) },
    encoding: 'utf8',
  });
  return { code: run.status, out: run.stdout.trim(), err: run.stderr.trim() };
}

describe('the audit check', () => {
  it('finds a deleted event, and an event deleted from the end (the case knows its head)', async () => {
    world = await openCaseWorld();
    const { record } = await world.declarations.declare(answers(), HOUSEHOLD, TEST_NOW);
    await world.cases.decide({ caseId: record._id, action: { type: 'acceptLead', caseVersion: 1 }, userId: 'chentownship', now: TEST_NOW });
    expect(await checkCaseAudit(world.docs, vault, '20261122-0001')).toEqual({ status: 'ok', caseNumber: '20261122-0001', records: 2, caseVersion: 2 });

    await world.docs.collection<Doc>('audit_events').delete(`${record._id}:2`);
    const cut = await checkCaseAudit(world.docs, vault, '20261122-0001');
    expect(cut).toEqual({ status: 'broken', caseNumber: '20261122-0001', records: 1, brokenAt: 2, reason: 'missing' });
    expect(describeAuditCheck(cut)).toBe('BROKEN 20261122-0001: record 2 is missing (1 records stored)');
    expect(await checkCaseAudit(world.docs, vault, '20990101-0001')).toEqual({ status: 'unknownCase', caseNumber: '20990101-0001' });
  });

  it('runs as a script: OK and exit 0, BROKEN and exit 1 after tampering, exit 2 for an unknown case', { timeout: 30_000 }, async () => {
    world = await openCaseWorld();
    const { record } = await world.declarations.declare(answers(), HOUSEHOLD, TEST_NOW);
    await world.docs.close();
    expect(runScript(world.dataDir, TEST_DATA_KEY, '20261122-0001')).toMatchObject({ code: 0, out: 'OK 20261122-0001: 1 audit records, chain intact, ends at case version 1' });

    const docs = await EmbeddedDocumentStore.open({ dir: world.dataDir });
    const events = docs.collection<Doc & { event: Record<string, unknown> }>('audit_events');
    const opening = (await events.get(`${record._id}:1`))!;
    await events.put({ ...opening, event: { ...opening.event, at: '2026-11-01T00:00:00.000Z' } });
    await docs.close();
    expect(runScript(world.dataDir, TEST_DATA_KEY, '20261122-0001')).toMatchObject({ code: 1, out: 'BROKEN 20261122-0001: record 1 was altered (1 records stored)' });
    expect(runScript(world.dataDir, TEST_DATA_KEY, '20990101-0001')).toMatchObject({ code: 2, out: 'NOT FOUND 20990101-0001: no case with this number' });
    expect(runScript(world.dataDir, TEST_DATA_KEY).code).toBe(2);
  });

  it('as a script, takes the key from DATA_DIR/data.key as the service does in local mode, and finds a case edited in the nedb file', { timeout: 30_000 }, async () => {
    world = await openCaseWorld();
    const { record } = await world.declarations.declare(answers(), HOUSEHOLD, TEST_NOW);
    await world.cases.decide({ caseId: record._id, action: { type: 'acceptLead', caseVersion: 1 }, userId: 'chentownship', now: TEST_NOW });
    await world.docs.close();
    expect(runScript(world.dataDir, undefined, '20261122-0001')).toMatchObject({ code: 2, out: '', err: expect.stringContaining('no data key') });
    writeFileSync(join(world.dataDir, 'data.key'), `${TEST_DATA_KEY}\n`, { mode: 0o600 });
    expect(runScript(world.dataDir, undefined, '20261122-0001')).toMatchObject({ code: 0, out: 'OK 20261122-0001: 2 audit records, chain intact, ends at case version 2' });
    // Another key (a service with another DATA_KEY never wrote this trail): nothing holds.
    expect(runScript(world.dataDir, Buffer.alloc(32, 5).toString('base64'), '20261122-0001')).toMatchObject({ code: 1, out: 'BROKEN 20261122-0001: record 1 was altered (2 records stored)' });

    // Someone with the files rewrites the stored stage: the trail is untouched.
    const file = join(world.dataDir, 'cases.db');
    const text = readFileSync(file, 'utf8');
    expect(text).toContain('"stage":"homeVerification"');
    writeFileSync(file, text.replaceAll('"stage":"homeVerification"', '"stage":"identified"'));
    expect(runScript(world.dataDir, undefined, '20261122-0001')).toMatchObject({
      code: 1,
      out: 'BROKEN 20261122-0001: case state does not match its trail (2 records stored, case version 2)',
    });
  });

  it('still verifies a case whose last step is written with it but not yet in the trail, and one appended but not yet settled', async () => {
    world = await openCaseWorld();
    const { record } = await world.declarations.declare(answers(), HOUSEHOLD, TEST_NOW);
    const stored = (await world.repo.get(record._id))!;
    const step = { ...stored.procedure, version: 2, stage: 'homeVerification' as const };
    const event = { caseId: stored._id, action: 'acceptLead' as const, from: 'lead' as const, to: 'homeVerification' as const, version: 2, actor: { userId: 'chentownship', role: 'townshipReviewer' as const }, at: TEST_NOW.toISOString(), profileKey: 'hunan-2022@1', data: { assignees: [] } };
    const crashed: CaseRecord = world.caseAudit.withPending({ ...stored, procedure: step }, event);
    await world.repo.cases.put(crashed);
    const pending = await checkCaseAudit(world.docs, vault, '20261122-0001');
    expect(pending).toEqual({ status: 'ok', caseNumber: '20261122-0001', records: 1, caseVersion: 2, pendingVersion: 2 });
    expect(describeAuditCheck(pending)).toBe('OK 20261122-0001: 1 audit records, chain intact, ends at case version 2; step 2 is written with the case, not yet in the trail');

    // Appended, but the case not yet told (a crash after the append): the trail already holds the step.
    await world.audit.appendAt(stored._id, 2, event, step);
    expect(await checkCaseAudit(world.docs, vault, '20261122-0001')).toEqual({ status: 'ok', caseNumber: '20261122-0001', records: 2, caseVersion: 2 });

    // The next load settles it: the case's sealed head moves to the step, and it verifies as any case.
    await world.caseAudit.settle(crashed);
    expect(await world.repo.get(stored._id)).toMatchObject({ auditHead: { seq: 2 } });
    expect(await checkCaseAudit(world.docs, vault, '20261122-0001')).toEqual({ status: 'ok', caseNumber: '20261122-0001', records: 2, caseVersion: 2 });
  });
});
