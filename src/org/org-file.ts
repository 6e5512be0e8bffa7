import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import { PROJECT_ROOT } from '../i18n/i18n.js';
import { Org, orgFileSchema } from './org.js';

export const DEMO_ORG_FILE = join(PROJECT_ROOT, 'config', 'org.demo.yaml');

export class OrgFileError extends Error {
  readonly code = 'ORG.INVALID_FILE';
}

/** Loads and checks an org YAML file; errors name the file, the line and the problem. */
export function loadOrgFile(path: string): Org {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new OrgFileError(`${path}: cannot read the file`);
  }
  return parseOrg(text, path);
}

export function parseOrg(text: string, source = 'org file'): Org {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    throw new OrgFileError(`${source}:${e.linePos?.[0].line ?? '?'}: ${e.message.split('\n')[0]}`);
  }
  const parsed = orgFileSchema.safeParse(doc.toJS());
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const node = doc.getIn(issue.path as (string | number)[], true) as { range?: [number, number, number] } | undefined;
    const parentNode = doc.getIn(issue.path.slice(0, -1) as (string | number)[], true) as { range?: [number, number, number] } | undefined;
    const offset = node?.range?.[0] ?? parentNode?.range?.[0];
    const line = offset === undefined ? '?' : lineCounter.linePos(offset).line;
    throw new OrgFileError(`${source}:${line}: ${issue.path.join('.')}: ${issue.message}`);
  }
  try {
    return new Org(parsed.data);
  } catch (err) {
    throw new OrgFileError(`${source}: ${(err as Error).message}`);
  }
}
