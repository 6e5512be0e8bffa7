import { readFileSync } from 'node:fs';
import { LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';

type Ranged = { range?: [number, number, number] } | undefined;
type ErrorType = new (message: string) => Error;

/**
 * Parses YAML text against a schema. Errors read `file:line: field.path: problem`, every problem at
 * once (up to five) so a whole file can be fixed in one go; `errorType` names the kind of file.
 */
export function parseYaml<S extends z.ZodType>(text: string, source: string, schema: S, errorType: ErrorType): z.output<S> {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    throw new errorType(`${source}:${e.linePos?.[0].line ?? '?'}: ${e.message.split('\n')[0]}`);
  }
  const parsed = schema.safeParse(doc.toJS());
  if (parsed.success) return parsed.data;
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
  throw new errorType(problems.join('\n') + (more > 0 ? `\n(and ${more} more)` : ''));
}

/** Reads and checks one YAML file. */
export function readYamlFile<S extends z.ZodType>(path: string, schema: S, errorType: ErrorType): z.output<S> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new errorType(`${path}: cannot read the file`);
  }
  return parseYaml(text, path, schema, errorType);
}
