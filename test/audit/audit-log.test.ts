import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuditKey } from '../../src/audit/audit-key.js';
import { AUDIT_COLLECTION, AuditLog } from '../../src/audit/audit-log.js';
import type { TransitionEvent } from '../../src/procedure/transition-event.js';
import { EmbeddedDocumentStore } from '../../src/stores/document-store.embedded.js';
import { DuplicateKeyError, type Doc } from '../../src/stores/document-store.js';
import { act, must, opened, profile, visit } from '../procedure/harness.js';

const hunan = profile('hunan-2022');
const key = new AuditKey(Buffer.alloc(32, 3));

/** The events of a real case: opened, accepted, visited, appraised (notice posted). */
function caseEvents(): TransitionEvent[] {
  const events: TransitionEvent[] = [];
  let c = opened(hunan, '2026-03-02');
  for (const [userId, action] of [
    ['chentownship', { type: 'acceptLead' }],
    ['wangcadre', visit],
    ['lisecretary', { type: 'recordAppraisal' }],
  ] as const) {
    const d = act(c, hunan, userId, action, '2026-03-02');
    if (!d.ok) throw new Error(d.reason);
    events.push(d.event);
    c = must(d);
  }
  return events;
}

describe('AuditLog on the embedded document store', () => {
  let dir: string;
  let store: EmbeddedDocumentStore;
  let log: AuditLog;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fpfp-audit-'));
    store = await EmbeddedDocumentStore.open({ dir });
    log = new AuditLog(store, key);
  });
  afterEach(async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function appendAll(): Promise<void> {
    for (const e of caseEvents()) await log.append(e.caseId, e);
  }
  const raw = () => store.collection<Doc & { seq: number; event: Record<string, unknown> }>(AUDIT_COLLECTION);

  it('appends a case chain that reads back in order and verifies, also after a restart', async () => {
    await appendAll();
    await log.append('case-2', { action: 'openCase', caseId: 'case-2' });
    const records = await log.read('case-1');
    expect(records.map((r) => [r.seq, r.event.action])).toEqual([[1, 'acceptLead'], [2, 'recordHomeVerification'], [3, 'recordAppraisal']]);
    expect(records[0]!.event).toEqual(JSON.parse(JSON.stringify(caseEvents()[0])));
    expect(await log.verifyCase('case-1', { seq: 3, hash: records[2]!.hash })).toEqual({ ok: true });
    expect(await log.verifyCase('case-2')).toEqual({ ok: true });

    await store.close();
    store = await EmbeddedDocumentStore.open({ dir });
    expect(await new AuditLog(store, key).verifyCase('case-1')).toEqual({ ok: true });
    expect(await new AuditLog(store, new AuditKey(Buffer.alloc(32, 4))).verifyCase('case-1')).toEqual({ ok: false, brokenAt: 0, reason: 'altered' });
  });

  it('detects an event altered in the store', async () => {
    await appendAll();
    const second = (await raw().findOne({ caseId: 'case-1', seq: 2 }))!;
    await raw().put({ ...second, event: { ...second.event, to: 'rejected' } });
    expect(await log.verifyCase('case-1')).toEqual({ ok: false, brokenAt: 1, reason: 'altered' });
  });

  it('detects an event deleted from the store', async () => {
    await appendAll();
    const second = (await raw().findOne({ caseId: 'case-1', seq: 2 }))!;
    expect(await raw().delete(second._id)).toBe(true);
    expect(await log.verifyCase('case-1')).toEqual({ ok: false, brokenAt: 1, reason: 'missing' });
  });

  it('lets concurrent appends all land, each at its own seq, still chained', async () => {
    await Promise.all(Array.from({ length: 5 }, (_, i) => log.append('case-9', { action: 'recordObjection', n: i })));
    expect((await log.read('case-9')).map((r) => r.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(await log.verifyCase('case-9')).toEqual({ ok: true });
  });

  it('never lets two records share a (caseId, seq): the unique index refuses the second', async () => {
    const first = await log.append('case-1', { action: 'openCase' });
    await expect(raw().insert({ _id: 'other-id', ...first, event: { action: 'forged' } } as Doc & { seq: number; event: Record<string, unknown> })).rejects.toBeInstanceOf(DuplicateKeyError);
  });

  it('appendAt puts an event at a known seq exactly once, however often it is retried', async () => {
    const [accepted, visited] = caseEvents();
    const first = await log.appendAt('case-1', 1, accepted!);
    const [again, racing] = await Promise.all([log.appendAt('case-1', 2, visited!), log.appendAt('case-1', 2, visited!)]);
    expect(again).toEqual(racing);
    expect(await log.appendAt('case-1', 1, accepted!)).toEqual(first);
    expect((await log.read('case-1')).map((r) => r.seq)).toEqual([1, 2]);
    expect(await log.verifyCase('case-1', { seq: 2, hash: again.hash })).toEqual({ ok: true });
  });

  it('appendAt stores the keyed MAC of the case state the step produced, and refuses another state at a taken seq', async () => {
    const [accepted] = caseEvents();
    const state = { id: 'case-1', version: 1, stage: 'homeVerification' };
    const first = await log.appendAt('case-1', 1, accepted!, state);
    expect(first.stateMac).toBe(log.stateMacOf({ stage: 'homeVerification', version: 1, id: 'case-1' }));
    expect((await log.read('case-1'))[0]!.stateMac).toBe(first.stateMac);
    expect(await log.appendAt('case-1', 1, accepted!, state)).toEqual(first);
    await expect(log.appendAt('case-1', 1, accepted!, { ...state, stage: 'rejected' })).rejects.toThrow('record 1 holds another case state');
    expect(await log.verifyCase('case-1')).toEqual({ ok: true });
  });

  it('appendAt refuses a gap and a different event at a taken seq', async () => {
    const [accepted, visited] = caseEvents();
    await expect(log.appendAt('case-1', 2, visited!)).rejects.toThrow('has no record 1 to follow');
    await log.appendAt('case-1', 1, accepted!);
    await expect(log.appendAt('case-1', 1, visited!)).rejects.toThrow('record 1 holds another event');
    await expect(log.appendAt('case-1', 0, accepted!)).rejects.toThrow('whole number from 1');
  });

  it('refuses an event that is not JSON data', async () => {
    await expect(log.append('case-1', { at: new Date(0) })).rejects.toThrow('not JSON data');
  });
});
