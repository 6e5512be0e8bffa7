import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ENGINE_TEXT_KEYS } from '../../src/engine/engine-texts.js';
import { STEP_TYPES } from '../../src/engine/step-types/index.js';
import { fixtureSchema, runFixture } from './step-harness.js';

const dir = new URL('./step-types/', import.meta.url);

describe.each(Object.keys(STEP_TYPES))('step type %s', (type) => {
  const file = new URL(`${type}.json`, dir);

  it('has a fixture file', () => {
    expect(existsSync(file), `missing test/engine/step-types/${type}.json`).toBe(true);
  });
  if (!existsSync(file)) return;

  const fixtures = parseFixtures(JSON.parse(readFileSync(file, 'utf8')));
  it('emits only engine keys that templates are told to provide', () => {
    const used = JSON.stringify(fixtures.map((f) => f.expectedEvents ?? [])).match(/"engine:[^"]+"/g) ?? [];
    expect(used.map((k) => k.slice(1, -1)).filter((k) => !ENGINE_TEXT_KEYS.includes(k))).toEqual([]);
  });
  it.each(fixtures.map((f) => [f.description, f] as const))('%s', (_d, f) => {
    const { readError, result } = runFixture(f);
    if (f.readError !== undefined) {
      expect(readError).toBe(f.readError);
      return;
    }
    expect(readError).toBeUndefined();
    expect(result?.events).toEqual(f.expectedEvents);
    if (f.expectedStatus) expect(result?.status).toBe(f.expectedStatus);
    // Only the listed keys are compared; null means "absent".
    for (const [key, value] of Object.entries(f.expectedState ?? {})) {
      expect((result?.state as Record<string, unknown> | null)?.[key], `state.${key}`).toEqual(value ?? undefined);
    }
  });
});

function parseFixtures(raw: unknown) {
  return fixtureSchema.array().min(1).parse(raw);
}
