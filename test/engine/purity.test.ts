import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkEngineTexts, ENGINE_TEXT_KEYS } from '../../src/engine/engine-texts.js';
import { loadFlows } from '../../src/engine/flow-loader.js';
import { LOCALES } from '../../src/i18n/i18n.js';

const engineDir = fileURLToPath(new URL('../../src/engine/', import.meta.url));
const files = (readdirSync(engineDir, { recursive: true }) as string[]).filter((f) => f.endsWith('.ts'));

describe('engine purity (until an eslint rule enforces it)', () => {
  it.each(files.filter((f) => f !== 'flow-loader.ts'))('%s imports only zod, engine files and types', (file) => {
    const source = readFileSync(join(engineDir, file), 'utf8');
    const imports = [...source.matchAll(/^import\s+(type\s+)?[^'"]*?from\s+'([^']+)'/gm)].map((m) => ({ typeOnly: !!m[1], from: m[2]! }));
    // Allowed: zod and chrono-node (dates read against a reference passed in, never the clock), files inside
    // src/engine, the pure calendar arithmetic of src/policy/dates.ts, and type-only imports from elsewhere in src.
    const resolved = (from: string) => relative(engineDir, join(engineDir, dirname(file), from));
    const insideEngine = (from: string) => from.startsWith('.') && !resolved(from).startsWith('..');
    const pure = (from: string) => ['zod', 'chrono-node'].includes(from) || (from.startsWith('.') && resolved(from) === join('..', 'policy', 'dates.js'));
    const bad = imports.filter((i) => !(pure(i.from) || insideEngine(i.from) || (i.typeOnly && i.from.startsWith('.'))));
    expect(bad).toEqual([]);
    expect(source).not.toMatch(/Date\.now\(|Math\.random\(|new Date\(\)/);
  });
});

describe('engine texts', () => {
  it('reports each engine key missing in a locale', () => {
    const errors = checkEngineTexts(LOCALES, (locale, key) => !(locale === 'en' && key === 'engine:tooManyFailures'));
    expect(errors).toEqual([{ path: ['engine texts'], message: 'missing text "engine:tooManyFailures" in en' }]);
    expect(checkEngineTexts(LOCALES, () => true)).toEqual([]);
    expect(new Set(ENGINE_TEXT_KEYS).size).toBe(ENGINE_TEXT_KEYS.length);
  });
});

describe('loadFlows', () => {
  it('loads every valid flow of a directory by id', () => {
    const flows = loadFlows(fileURLToPath(new URL('../fixtures/engine/', import.meta.url)), { locales: LOCALES, hasKey: () => true, optionSources: ['townships'] });
    expect([...flows.keys()]).toEqual(['mini']);
  });
});
