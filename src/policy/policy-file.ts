import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';

/** The project's config/ folder (works from src/ under tsx and from dist/ after a build). */
export const CONFIG_DIR = fileURLToPath(new URL('../../config/', import.meta.url));

/** A policy data file (calendar year or profile) that cannot be read or does not match its schema. */
export class PolicyFileError extends Error {
  readonly code = 'POLICY.INVALID_FILE';
}

type Ranged = { range?: [number, number, number] } | undefined;

/** Parses YAML text against a schema; errors read `file:line: field.path: problem`. */
export function parsePolicyYaml<S extends z.ZodType>(text: string, source: string, schema: S): z.output<S> {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    throw new PolicyFileError(`${source}:${e.linePos?.[0].line ?? '?'}: ${e.message.split('\n')[0]}`);
  }
  const parsed = schema.safeParse(doc.toJS());
  if (parsed.success) return parsed.data;
  // Every problem at once, so a whole file can be fixed in one go.
  const problems = parsed.error.issues.slice(0, 5).map((issue) => {
    const path = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p));
    const field = path.length > 0 ? path.join('.') : '(file)';
    if (path.length > 0 && !doc.hasIn(path)) {
      // A missing field: point at the map that should hold it, unless that is the whole file.
      const parent = (doc.getIn(path.slice(0, -1), true) as Ranged)?.range?.[0];
      const where = path.length > 1 && parent !== undefined ? `:${lineCounter.linePos(parent).line}` : '';
      return `${source}${where}: ${field}: required field is missing`;
    }
    const offset = (doc.getIn(path, true) as Ranged)?.range?.[0];
    const line = offset === undefined ? '?' : lineCounter.linePos(offset).line;
    return `${source}:${line}: ${field}: ${issue.message}`;
  });
  const more = parsed.error.issues.length - problems.length;
  throw new PolicyFileError(problems.join('\n') + (more > 0 ? `\n(and ${more} more)` : ''));
}

/** Reads and checks one policy file. */
export function loadPolicyFile<S extends z.ZodType>(path: string, schema: S): z.output<S> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new PolicyFileError(`${path}: cannot read the file`);
  }
  return parsePolicyYaml(text, path, schema);
}

/** Every `*.yaml` file of a folder, in name order, checked against the schema. */
export function loadPolicyDir<S extends z.ZodType>(dir: string, schema: S): { file: string; data: z.output<S> }[] {
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith('.yaml')).sort();
  } catch {
    throw new PolicyFileError(`${dir}: cannot read the folder`);
  }
  if (names.length === 0) throw new PolicyFileError(`${dir}: no *.yaml files`);
  return names.map((n) => ({ file: basename(n), data: loadPolicyFile(join(dir, n), schema) }));
}
