import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../src/shared/paths.js';

/**
 * `npm start` builds first (prestart) but skips tsc when nothing changed: scripts/build-if-changed.mjs run,
 * as npm runs it, in a small project of its own that uses this project's TypeScript.
 */
const SCRIPT = join(PROJECT_ROOT, 'scripts', 'build-if-changed.mjs');

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function project(): string {
  const root = mkdtempSync(join(tmpdir(), 'fpfp-build-'));
  dirs.push(root);
  mkdirSync(join(root, 'src'));
  writeFileSync(join(root, 'src', 'main.ts'), 'export const answer: number = 42;\n');
  writeFileSync(join(root, 'tsconfig.json'), JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'NodeNext', strict: true, noEmit: true, skipLibCheck: true, types: [] }, include: ['src'] }));
  // The project's own build settings, as they are.
  writeFileSync(join(root, 'tsconfig.build.json'), readFileSync(join(PROJECT_ROOT, 'tsconfig.build.json'), 'utf8'));
  writeFileSync(join(root, 'package-lock.json'), '{}\n');
  symlinkSync(join(PROJECT_ROOT, 'node_modules'), join(root, 'node_modules'));
  return root;
}

/** Runs the prestart step; `built` says whether it ran tsc (a build moves the stamp), `emitted` whether main.js was written. */
function prestart(root: string): { status: number | null; built: boolean; emitted: boolean; output: string } {
  const stamp = statOrUndefined(join(root, 'dist', '.tsbuildinfo'));
  const main = statOrUndefined(join(root, 'dist', 'main.js'));
  const run = spawnSync(process.execPath, [SCRIPT], { cwd: root, encoding: 'utf8' });
  const built = statOrUndefined(join(root, 'dist', '.tsbuildinfo')) !== stamp || stamp === undefined;
  const emitted = statOrUndefined(join(root, 'dist', 'main.js')) !== main;
  return { status: run.status, built, emitted, output: run.stdout + run.stderr };
}

function statOrUndefined(path: string): number | undefined {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return undefined;
  }
}

/** As if the last build was a minute ago: what is saved next is newer than it. */
function lastBuiltAMinuteAgo(root: string): void {
  const past = new Date(Date.now() - 60_000);
  utimesSync(join(root, 'dist', '.tsbuildinfo'), past, past);
}

describe('npm start: build only when something changed', { timeout: 90_000 }, () => {
  it('is what prestart runs, and the build stays incremental', () => {
    const pkg = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts.prestart).toBe('node scripts/build-if-changed.mjs');
    expect(pkg.scripts.start).toBe('node dist/server.js');
    expect(readFileSync(join(PROJECT_ROOT, 'tsconfig.build.json'), 'utf8')).toMatch(/"tsBuildInfoFile": "dist\/\.tsbuildinfo"/);
  });

  it('builds the first time, skips when nothing changed, builds again after an edit, a new file or a settings change', () => {
    const root = project();
    expect(prestart(root)).toMatchObject({ status: 0, built: true, emitted: true });
    expect(execFileSync(process.execPath, ['-e', `import(${JSON.stringify(join(root, 'dist', 'main.js'))}).then((m) => console.log(m.answer))`], { encoding: 'utf8' }).trim()).toBe('42');
    expect(prestart(root)).toMatchObject({ status: 0, built: false, emitted: false });

    lastBuiltAMinuteAgo(root);
    writeFileSync(join(root, 'src', 'main.ts'), 'export const answer: number = 43;\n');
    expect(prestart(root)).toMatchObject({ status: 0, built: true, emitted: true });
    expect(readFileSync(join(root, 'dist', 'main.js'), 'utf8')).toContain('43');
    expect(prestart(root)).toMatchObject({ status: 0, built: false });

    lastBuiltAMinuteAgo(root);
    writeFileSync(join(root, 'src', 'extra.ts'), 'export const extra = 1;\n');
    expect(prestart(root)).toMatchObject({ status: 0, built: true });
    expect(statOrUndefined(join(root, 'dist', 'extra.js'))).toBeDefined();

    lastBuiltAMinuteAgo(root);
    writeFileSync(join(root, 'package-lock.json'), '{ "lockfileVersion": 3 }\n');
    expect(prestart(root)).toMatchObject({ status: 0, built: true });
    expect(prestart(root)).toMatchObject({ status: 0, built: false });

    rmSync(join(root, 'dist'), { recursive: true });
    expect(prestart(root)).toMatchObject({ status: 0, built: true, emitted: true });
  });

  it('a type error stops the start, and the next start tries again instead of running the old build', () => {
    const root = project();
    expect(prestart(root).status).toBe(0);
    lastBuiltAMinuteAgo(root);
    writeFileSync(join(root, 'src', 'main.ts'), 'export const answer: number = "forty-two";\n');
    const failed = prestart(root);
    expect(failed.status).not.toBe(0);
    expect(failed.output).toContain("Type 'string' is not assignable to type 'number'");
    expect(prestart(root)).toMatchObject({ built: true });
    expect(prestart(root).status).not.toBe(0);
  });
});
