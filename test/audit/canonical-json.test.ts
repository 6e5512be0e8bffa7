import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../src/audit/canonical-json.js';

describe('canonicalJson', () => {
  it('writes keys in a stable order at every depth, without whitespace', () => {
    const a = canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: '桃源村' } });
    const b = canonicalJson({ a: { c: '桃源村', d: [3, { y: 2, z: 1 }] }, b: 1 });
    expect(a).toBe('{"a":{"c":"桃源村","d":[3,{"y":2,"z":1}]},"b":1}');
    expect(b).toBe(a);
  });

  it('leaves out undefined properties, as the stores do, and reads back as the same data', () => {
    const value = { reason: undefined, data: { note: undefined, n: -0, list: [null, true] } };
    expect(canonicalJson(value)).toBe('{"data":{"list":[null,true],"n":0}}');
    expect(canonicalJson(JSON.parse(canonicalJson(value)))).toBe(canonicalJson(value));
  });

  it('refuses values that would not survive a JSON round trip', () => {
    expect(() => canonicalJson({ at: new Date(0) })).toThrow('$.at is not JSON data (Date)');
    expect(() => canonicalJson({ amount: Number.NaN })).toThrow('$.amount is NaN');
    expect(() => canonicalJson([new Map()])).toThrow('$[0] is not JSON data (Map)');
    expect(() => canonicalJson({ n: 10n })).toThrow('not JSON data (bigint)');
  });
});
