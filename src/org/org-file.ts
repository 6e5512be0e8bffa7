import { join } from 'node:path';
import { CONFIG_DIR } from '../shared/paths.js';
import { parseYaml, readYamlFile } from '../shared/yaml-file.js';
import { Org, orgFileSchema, type OrgFile } from './org.js';

export const DEMO_ORG_FILE = join(CONFIG_DIR, 'org.demo.yaml');

export class OrgFileError extends Error {
  readonly code = 'ORG.INVALID_FILE';
}

/** Loads and checks an org YAML file; errors name the file, the line and the problem. */
export function loadOrgFile(path: string): Org {
  return toOrg(readYamlFile(path, orgFileSchema, OrgFileError), path);
}

export function parseOrg(text: string, source = 'org file'): Org {
  return toOrg(parseYaml(text, source, orgFileSchema, OrgFileError), source);
}

/** The checks the schema cannot make: known areas, no duplicates. */
function toOrg(file: OrgFile, source: string): Org {
  try {
    return new Org(file);
  } catch (err) {
    throw new OrgFileError(`${source}: ${(err as Error).message}`);
  }
}
