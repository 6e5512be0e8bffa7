import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { checkCaseAudit, describeAuditCheck } from '../../src/cases/audit-check.js';
import type { Doc } from '../../src/stores/document-store.js';
import { EmbeddedDocumentStore } from '../../src/stores/document-store.embedded.js';
import { answers, HOUSEHOLD, openCaseWorld, type CaseWorld } from '../helpers/case-world.js';
import { TEST_NOW } from '../helpers/test-app.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

let world: CaseWorld;
afterEach(async () => world.close());

/** The script as an operator runs it (`npm run audit:verify -- <caseNumber>`), on the embedded store in DATA_DIR. */
function runScript(dataDir: string, ...args: string[]) {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('WECOM_') && k !== 'MONGODB_URL'));
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/audit-verify.ts', ...args], { cwd: ROOT, env: { ...env, DATA_DIR: dataDir }, encoding: 'utf8' });
  return { code: run.status, out: run.stdout.trim() };
}

describe('the audit check', () => {
  it('finds a deleted event, and an event deleted from the end (the case knows its head)', async () => {
    world = await openCaseWorld();
    const { record } = await world.declarations.declare(answers(), HOUSEHOLD, TEST_NOW);
    await world.cases.decide({ caseId: record._id, action: { type: 'acceptLead', caseVersion: 1 }, userId: 'chentownship', now: TEST_NOW });
    expect(await checkCaseAudit(world.docs, '20261122-0001')).toEqual({ status: 'ok', caseNumber: '20261122-0001', records: 2, caseVersion: 2 });

    await world.docs.collection<Doc>('audit_events').delete(`${record._id}:2`);
    const cut = await checkCaseAudit(world.docs, '20261122-0001');
    expect(cut).toEqual({ status: 'broken', caseNumber: '20261122-0001', records: 1, brokenAt: 2, reason: 'missing' });
    expect(describeAuditCheck(cut)).toBe('BROKEN 20261122-0001: record 2 is missing (1 records stored)');
    expect(await checkCaseAudit(world.docs, '20990101-0001')).toEqual({ status: 'unknownCase', caseNumber: '20990101-0001' });
  });

  it('runs as a script: OK and exit 0, BROKEN and exit 1 after tampering, exit 2 for an unknown case', { timeout: 30_000 }, async () => {
    world = await openCaseWorld();
    const { record } = await world.declarations.declare(answers(), HOUSEHOLD, TEST_NOW);
    await world.docs.close();
    expect(runScript(world.dataDir, '20261122-0001')).toEqual({ code: 0, out: 'OK 20261122-0001: 1 audit records, chain intact, ends at case version 1' });

    const docs = await EmbeddedDocumentStore.open({ dir: world.dataDir });
    const events = docs.collection<Doc & { event: Record<string, unknown> }>('audit_events');
    const opening = (await events.get(`${record._id}:1`))!;
    await events.put({ ...opening, event: { ...opening.event, at: '2026-11-01T00:00:00.000Z' } });
    await docs.close();
    expect(runScript(world.dataDir, '20261122-0001')).toEqual({ code: 1, out: 'BROKEN 20261122-0001: record 1 was altered (1 records stored)' });
    expect(runScript(world.dataDir, '20990101-0001')).toEqual({ code: 2, out: 'NOT FOUND 20990101-0001: no case with this number' });
    expect(runScript(world.dataDir).code).toBe(2);
  });
});
