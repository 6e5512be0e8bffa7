import { readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { z } from 'zod';
import { CONFIG_DIR } from '../shared/paths.js';
import { parseYaml, readYamlFile } from '../shared/yaml-file.js';

export { CONFIG_DIR };

/** A policy data file (calendar year or profile) that cannot be read or does not match its schema. */
export class PolicyFileError extends Error {
  readonly code = 'POLICY.INVALID_FILE';
}

/** Parses YAML text against a schema; errors read `file:line: field.path: problem`. */
export function parsePolicyYaml<S extends z.ZodType>(text: string, source: string, schema: S): z.output<S> {
  return parseYaml(text, source, schema, PolicyFileError);
}

/** Reads and checks one policy file. */
export function loadPolicyFile<S extends z.ZodType>(path: string, schema: S): z.output<S> {
  return readYamlFile(path, schema, PolicyFileError);
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
