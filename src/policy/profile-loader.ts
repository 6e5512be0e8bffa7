import { isAbsolute, join, relative } from 'node:path';
import { PROJECT_ROOT } from '../shared/paths.js';
import { CONFIG_DIR, loadPolicyDir, PolicyFileError } from './policy-file.js';
import { type PolicyProfile, profileKey, profileSchema } from './profile.js';

/** Where the shipped profiles live. */
export const PROFILE_DIR = join(CONFIG_DIR, 'profiles');

/**
 * Reads every `*.yaml` in `dir` as one policy profile. A bad file throws `PolicyFileError` naming the
 * file, the line and the field; two files with the same `id@version` are refused. Each profile keeps
 * the file it came from (relative to the project root when inside it), so messages can point at it.
 */
export function loadProfiles(dir: string = PROFILE_DIR): PolicyProfile[] {
  const seen = new Map<string, string>();
  return loadPolicyDir(dir, profileSchema).map(({ file, data }) => {
    const key = profileKey(data);
    const other = seen.get(key);
    if (other) throw new PolicyFileError(`${join(dir, file)}: profile ${key} is already defined in ${other}`);
    seen.set(key, file);
    return { ...data, file: displayPath(join(dir, file)) };
  });
}

function displayPath(path: string): string {
  const inProject = relative(PROJECT_ROOT, path);
  return inProject.startsWith('..') || isAbsolute(inProject) ? path : inProject.split('\\').join('/');
}
