import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AuditKey } from '../../src/audit/audit-key.js';
import { canonicalJson } from '../../src/audit/canonical-json.js';
import { type AuditRecord, chainRecord, GENESIS_HASH, headSeal, recordHash, stateMac, verifyChain } from '../../src/audit/hash-chain.js';

const key = new AuditKey(Buffer.alloc(32, 9));
const otherKey = new AuditKey(Buffer.alloc(32, 10));

const events = [
  { action: 'openCase', to: 'lead', at: '2026-03-02T02:00:00.000Z' },
  { action: 'acceptLead', from: 'lead', to: 'homeVerification', at: '2026-03-02T03:00:00.000Z' },
  { action: 'recordHomeVerification', from: 'homeVerification', to: 'villageAppraisal', at: '2026-03-03T03:00:00.000Z' },
  { action: 'recordAppraisal', from: 'villageAppraisal', to: 'publicNotice', at: '2026-03-05T03:00:00.000Z' },
];
const states = events.map((e, i) => ({ id: 'case-1', version: i + 1, stage: e.to }));

function chain(): AuditRecord<object>[] {
  const out: AuditRecord<object>[] = [];
  events.forEach((e, i) => out.push(chainRecord(key, out[out.length - 1] ?? null, 'case-1', e, stateMac(key, states[i]!))));
  return out;
}

describe('the hash chain', () => {
  it('links each record to the one before: hash = HMAC-SHA-256(audit key, prevHash + canonical body), seq from 1', () => {
    const records = chain();
    expect(records.map((r) => r.seq)).toEqual([1, 2, 3, 4]);
    expect(records[0]!.prevHash).toBe(GENESIS_HASH);
    expect(records[2]!.prevHash).toBe(records[1]!.hash);
    expect(records[1]!.hash).toBe(recordHash(key, records[0]!.hash, { caseId: 'case-1', seq: 2, event: events[1]!, stateMac: stateMac(key, states[1]!) }));
    expect(records[0]!.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(verifyChain(key, records)).toEqual({ ok: true });
    expect(verifyChain(key, [])).toEqual({ ok: true });
  });

  it('holds only under its own key: the same chain checked under another key is altered from its first record', () => {
    expect(verifyChain(otherKey, chain())).toEqual({ ok: false, brokenAt: 0, reason: 'altered' });
    expect(stateMac(otherKey, states[0]!)).not.toBe(stateMac(key, states[0]!));
    expect(headSeal(otherKey, 'case-1', { seq: 1, hash: 'a' })).not.toBe(headSeal(key, 'case-1', { seq: 1, hash: 'a' }));
  });

  it('keeps the MACs of each use apart: a state MAC is not a head seal, nor a record hash', () => {
    const text = canonicalJson({ caseId: 'case-1', seq: 1, hash: 'a' });
    expect(key.mac('state', text)).not.toBe(key.mac('head', text));
    expect(headSeal(key, 'case-1', { seq: 1, hash: 'a' })).toBe(key.mac('head', text));
    expect(JSON.stringify({ key })).toBe('{"key":"[audit key]"}');
  });

  it('detects an altered event, an altered link, a record moved to another case and a swapped state MAC', () => {
    const edited = chain();
    edited[2] = { ...edited[2]!, event: { ...events[2]!, to: 'rejected' } };
    expect(verifyChain(key, edited)).toEqual({ ok: false, brokenAt: 2, reason: 'altered' });

    const relinked = chain();
    relinked[1] = { ...relinked[1]!, prevHash: 'f'.repeat(64) };
    expect(verifyChain(key, relinked)).toEqual({ ok: false, brokenAt: 1, reason: 'altered' });

    const moved = chain();
    moved[3] = { ...moved[3]!, caseId: 'case-2' };
    expect(verifyChain(key, moved)).toEqual({ ok: false, brokenAt: 3, reason: 'altered' });

    const restated = chain();
    restated[3] = { ...restated[3]!, stateMac: stateMac(key, { ...states[3]!, stage: 'rejected' }) };
    expect(verifyChain(key, restated)).toEqual({ ok: false, brokenAt: 3, reason: 'altered' });
  });

  it('detects a rewritten record whose hash was recomputed without the key (sha256, as an unkeyed chain would)', () => {
    const forged = chain();
    const fake = { ...events[3]!, to: 'rejected' };
    const r = forged[3]!;
    const hash = createHash('sha256').update(r.prevHash).update(canonicalJson({ caseId: 'case-1', seq: 4, event: fake, stateMac: r.stateMac })).digest('hex');
    forged[3] = { ...r, event: fake, hash };
    expect(verifyChain(key, forged, { seq: 4, hash })).toEqual({ ok: false, brokenAt: 3, reason: 'altered' });
  });

  it('detects a rewritten record even when its own hash was recomputed: the next one no longer links to it', () => {
    const forged = chain();
    const fake = { ...events[1]!, to: 'rejected' };
    forged[1] = { ...forged[1]!, event: fake, hash: recordHash(key, forged[0]!.hash, { caseId: 'case-1', seq: 2, event: fake, stateMac: forged[1]!.stateMac }) };
    expect(verifyChain(key, forged)).toEqual({ ok: false, brokenAt: 2, reason: 'altered' });
  });

  it('detects a deleted record by the gap in seq, and a cut-off tail against the head the case recorded', () => {
    const records = chain();
    expect(verifyChain(key, [records[0]!, records[1]!, records[3]!])).toEqual({ ok: false, brokenAt: 2, reason: 'missing' });
    const head = { seq: 4, hash: records[3]!.hash };
    expect(verifyChain(key, records, head)).toEqual({ ok: true });
    expect(verifyChain(key, records.slice(0, 3), head)).toEqual({ ok: false, brokenAt: 3, reason: 'missing' });
  });

  it('detects reordering: records out of order, or two records whose seqs were swapped', () => {
    const records = chain();
    expect(verifyChain(key, [records[0]!, records[2]!, records[1]!, records[3]!])).toEqual({ ok: false, brokenAt: 1, reason: 'reordered' });
    const swapped = [records[0]!, { ...records[2]!, seq: 2 }, { ...records[1]!, seq: 3 }, records[3]!];
    expect(verifyChain(key, swapped)).toEqual({ ok: false, brokenAt: 1, reason: 'reordered' });
  });
});
