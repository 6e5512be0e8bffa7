import { describe, expect, it } from 'vitest';
import { type AuditRecord, chainRecord, GENESIS_HASH, recordHash, verifyChain } from '../../src/audit/hash-chain.js';

const events = [
  { action: 'openCase', to: 'lead', at: '2026-03-02T02:00:00.000Z' },
  { action: 'acceptLead', from: 'lead', to: 'homeVerification', at: '2026-03-02T03:00:00.000Z' },
  { action: 'recordHomeVerification', from: 'homeVerification', to: 'villageAppraisal', at: '2026-03-03T03:00:00.000Z' },
  { action: 'recordAppraisal', from: 'villageAppraisal', to: 'publicNotice', at: '2026-03-05T03:00:00.000Z' },
];

function chain(): AuditRecord<object>[] {
  const out: AuditRecord<object>[] = [];
  for (const e of events) out.push(chainRecord(out[out.length - 1] ?? null, 'case-1', e));
  return out;
}

describe('the hash chain', () => {
  it('links each record to the one before: hash = sha256(prevHash + canonical body), seq from 1', () => {
    const records = chain();
    expect(records.map((r) => r.seq)).toEqual([1, 2, 3, 4]);
    expect(records[0]!.prevHash).toBe(GENESIS_HASH);
    expect(records[2]!.prevHash).toBe(records[1]!.hash);
    expect(records[1]!.hash).toBe(recordHash(records[0]!.hash, { caseId: 'case-1', seq: 2, event: events[1]! }));
    expect(records[0]!.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(verifyChain(records)).toEqual({ ok: true });
    expect(verifyChain([])).toEqual({ ok: true });
  });

  it('detects an altered event, an altered link, and a record moved to another case', () => {
    const edited = chain();
    edited[2] = { ...edited[2]!, event: { ...events[2]!, to: 'rejected' } };
    expect(verifyChain(edited)).toEqual({ ok: false, brokenAt: 2, reason: 'altered' });

    const relinked = chain();
    relinked[1] = { ...relinked[1]!, prevHash: 'f'.repeat(64) };
    expect(verifyChain(relinked)).toEqual({ ok: false, brokenAt: 1, reason: 'altered' });

    const moved = chain();
    moved[3] = { ...moved[3]!, caseId: 'case-2' };
    expect(verifyChain(moved)).toEqual({ ok: false, brokenAt: 3, reason: 'altered' });
  });

  it('detects a rewritten record even when its own hash was recomputed: the next one no longer links to it', () => {
    const forged = chain();
    const fake = { ...events[1]!, to: 'rejected' };
    forged[1] = { ...forged[1]!, event: fake, hash: recordHash(forged[0]!.hash, { caseId: 'case-1', seq: 2, event: fake }) };
    expect(verifyChain(forged)).toEqual({ ok: false, brokenAt: 2, reason: 'altered' });
  });

  it('detects a deleted record by the gap in seq, and a cut-off tail against the head the case recorded', () => {
    const records = chain();
    expect(verifyChain([records[0]!, records[1]!, records[3]!])).toEqual({ ok: false, brokenAt: 2, reason: 'missing' });
    const head = { seq: 4, hash: records[3]!.hash };
    expect(verifyChain(records, head)).toEqual({ ok: true });
    expect(verifyChain(records.slice(0, 3), head)).toEqual({ ok: false, brokenAt: 3, reason: 'missing' });
  });

  it('detects reordering: records out of order, or two records whose seqs were swapped', () => {
    const records = chain();
    expect(verifyChain([records[0]!, records[2]!, records[1]!, records[3]!])).toEqual({ ok: false, brokenAt: 1, reason: 'reordered' });
    const swapped = [records[0]!, { ...records[2]!, seq: 2 }, { ...records[1]!, seq: 3 }, records[3]!];
    expect(verifyChain(swapped)).toEqual({ ok: false, brokenAt: 1, reason: 'reordered' });
  });
});
