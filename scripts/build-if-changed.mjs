// `npm start` runs this first (prestart): it compiles src/ into dist/ only when something the build reads is
// newer than the last successful build, so a start with nothing changed skips tsc (3–60 s on a small machine).
// When it does build, tsc is incremental (tsconfig.build.json), so only what changed is checked again.
// Run from the project folder, as npm runs scripts. Plain JavaScript: it runs before anything is compiled.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync, statSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import process from 'node:process';
import { pathToFileURL } from 'node:url';

/** Written by tsc at the end of a build (tsconfig.build.json tsBuildInfoFile); its mtime is when the build started. */
export const STAMP = join('dist', '.tsbuildinfo');
/** What the build reads: the sources, the compiler settings, and the installed packages (their types). */
export const INPUTS = ['src', 'tsconfig.json', 'tsconfig.build.json', 'package-lock.json'];

/** The newest modification time under `path` (directories count: adding or removing a file changes them). */
function newest(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((name) => newest(join(path, name))));
}

/** True when dist/ is missing or older than any input. @example needsBuild('.') === false right after a build */
export function needsBuild(root) {
  const stamp = join(root, STAMP);
  if (!existsSync(stamp)) return true;
  const built = statSync(stamp).mtimeMs;
  return INPUTS.some((input) => newest(join(root, input)) > built);
}

/** Builds when needed; a failed build leaves no stamp, so the next start tries (and reports) it again. */
export function buildIfChanged(root) {
  if (!needsBuild(root)) return;
  const startedAt = new Date();
  try {
    execFileSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
  } catch {
    rmSync(join(root, STAMP), { force: true });
    process.exit(1);
  }
  // A file saved while tsc ran is newer than this, so the next start builds again.
  utimesSync(join(root, STAMP), startedAt, startedAt);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) buildIfChanged(process.cwd());
