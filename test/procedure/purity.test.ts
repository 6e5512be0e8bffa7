import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { type CaseSnapshot, caseSnapshotSchema } from '../../src/procedure/case-snapshot.js';
import { identify, profile } from './harness.js';

const procedureDir = fileURLToPath(new URL('../../src/procedure/', import.meta.url));
const srcDir = fileURLToPath(new URL('../../src/', import.meta.url));
const files = (readdirSync(procedureDir, { recursive: true }) as string[]).filter((f) => f.endsWith('.ts'));
/** Pure modules outside the procedure that it may run: dates, limits, profile schema, text normalising. */
const PURE = ['policy/dates.ts', 'policy/limits.ts', 'policy/profile.ts', 'policy/code-lists.ts', 'policy/calendar-schema.ts', 'engine/normalise.ts'];

describe('procedure purity: no I/O, no clock', () => {
  it.each(files)('%s imports only zod, procedure files, pure policy modules and types', (file) => {
    const source = readFileSync(join(procedureDir, file), 'utf8');
    const imports = [...source.matchAll(/^import\s+(type\s+)?[^'"]*?from\s+'([^']+)'/gm)].map((m) => ({ typeOnly: !!m[1], from: m[2]! }));
    const target = (from: string) => relative(srcDir, join(procedureDir, dirname(file), from)).replace(/\.js$/, '.ts');
    const allowed = (i: { typeOnly: boolean; from: string }) =>
      i.from === 'zod' || (i.from.startsWith('.') && (i.typeOnly || target(i.from).startsWith('procedure/') || PURE.includes(target(i.from))));
    expect(imports.filter((i) => !allowed(i))).toEqual([]);
    expect(source).not.toMatch(/Date\.now\(|Math\.random\(|new Date\(/);
  });

  it('a case after a whole identification is plain JSON that its schema accepts', () => {
    const c: CaseSnapshot = identify(profile('hunan-2022'), '2026-03-02', '2026-03-05');
    expect(JSON.parse(JSON.stringify(c))).toEqual(c);
    expect(caseSnapshotSchema.parse(c)).toEqual(c);
  });
});
