import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ACTION_FIELDS, CASE_SNAPSHOT_FIELDS } from '../../src/privacy/sensitive-fields.js';
import { actionSchema } from '../../src/procedure/actions.js';
import { caseSnapshotSchema } from '../../src/procedure/case-snapshot.js';

/** A zod schema node, as far as walking it needs (zod 4 keeps the definition under `_zod.def`). */
type Node = { _zod: { def: { type: string; innerType?: Node; shape?: Record<string, Node>; element?: Node } } };

/** The field paths of a schema as the field map names them: `a.b`, `list[].b`; a list or record of values is one field. */
function fieldPaths(schema: z.ZodType): string[] {
  const paths: string[] = [];
  const walk = (node: Node, path: string): void => {
    const def = node._zod.def;
    if (def.innerType && ['optional', 'nullable', 'default', 'prefault', 'readonly'].includes(def.type)) return walk(def.innerType, path);
    if (def.type === 'object') {
      for (const [key, child] of Object.entries(def.shape!)) walk(child, path ? `${path}.${key}` : key);
      return;
    }
    if (def.type === 'array' && def.element!._zod.def.type === 'object') return walk(def.element!, `${path}[]`);
    paths.push(path);
  };
  walk(schema as unknown as Node, '');
  return paths;
}

/** The fields of every staff action, `type` and `caseVersion` aside. */
function actionFields(schema: z.ZodDiscriminatedUnion<z.ZodObject[]>): string[] {
  return [...new Set(schema.options.flatMap((o) => Object.keys(o.shape)))].filter((k) => k !== 'type' && k !== 'caseVersion');
}

const unclassified = (paths: string[], map: Readonly<Record<string, unknown>>) => paths.filter((p) => !Object.hasOwn(map, p));

describe('the field map of what is sealed at rest', () => {
  it('classifies every field of the procedure state, and names no field it does not have', () => {
    const paths = fieldPaths(caseSnapshotSchema);
    expect(unclassified(paths, CASE_SNAPSHOT_FIELDS), 'add these to CASE_SNAPSHOT_FIELDS in src/privacy/sensitive-fields.ts').toEqual([]);
    expect(Object.keys(CASE_SNAPSHOT_FIELDS).filter((p) => !paths.includes(p))).toEqual([]);
    // `sealed` is where the stored state keeps its sealed fields (CaseSealer), so no field may have that name.
    expect(paths).not.toContain('sealed');
  });

  it('classifies every field of every staff action, and names no field no action has', () => {
    const fields = actionFields(actionSchema as unknown as z.ZodDiscriminatedUnion<z.ZodObject[]>);
    expect(unclassified(fields, ACTION_FIELDS), 'add these to ACTION_FIELDS in src/privacy/sensitive-fields.ts').toEqual([]);
    expect(Object.keys(ACTION_FIELDS).filter((f) => !fields.includes(f))).toEqual([]);
  });

  it('notices a free-text field added to the procedure state or to an action without being classified', () => {
    const visitNotes = z.array(z.object({ on: z.string(), text: z.string() }));
    const grown = caseSnapshotSchema.extend({ visitNotes, householdRemark: z.string().optional() });
    expect(unclassified(fieldPaths(grown), CASE_SNAPSHOT_FIELDS)).toEqual(['visitNotes[].on', 'visitNotes[].text', 'householdRemark']);
    const withAppeal = z.discriminatedUnion('type', [...actionSchema.options, z.object({ type: z.literal('recordAppeal'), caseVersion: z.number(), appealText: z.string() })]);
    expect(unclassified(actionFields(withAppeal as unknown as z.ZodDiscriminatedUnion<z.ZodObject[]>), ACTION_FIELDS)).toEqual(['appealText']);
  });

  it('seals income and every free text a person types', () => {
    const sealed = (map: Readonly<Record<string, string>>) => Object.keys(map).filter((k) => map[k] === 'sealed').sort();
    expect(sealed(CASE_SNAPSHOT_FIELDS)).toEqual(
      [
        'assistancePlan.measures', 'crossCheck.note', 'elimination.note', 'fastTrack.note', 'fastTrack.relief', 'fastTrack.reliefAmount', 'netIncomePerCapita',
        'objections[].raisedBy', 'objections[].resolution', 'objections[].summary', 'rejection.reasons',
      ].sort(),
    );
    expect(sealed(ACTION_FIELDS)).toEqual(['amount', 'income', 'measures', 'note', 'otherReason', 'raisedBy', 'reason', 'reasons', 'relief', 'summary', 'verifiedBy']);
  });
});
