import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { shanghaiDate, yearOf } from '../../src/policy/dates.js';
import { incomeThresholdFor } from '../../src/policy/profile.js';
import { loadProfiles } from '../../src/policy/profile-loader.js';
import { PROJECT_ROOT } from '../../src/shared/paths.js';
import { freePort } from '../helpers/free-port.js';

// The real server, started as an operator would (local mode, no configuration), says at startup which
// profile file lacks this year's income line and which setting to add.

const STRIPPED = /^(WECOM_|REDIS_URL$|MONGODB_URL$|ADMIN_TOKEN$|ORG_FILE$|PORT$|HOST$|DATA_DIR$|LOG_LEVEL$|CALLBACK_)/;
const cleanup: (() => void)[] = [];
afterEach(() => {
  for (const done of cleanup.splice(0)) done();
});

describe('startup', () => {
  it('warns, naming the file and the key, for a profile without a line for the current year, and still starts', async () => {
    const year = yearOf(shanghaiDate(new Date()));
    const national = loadProfiles().find((p) => p.id === 'national-2022')!;
    expect(incomeThresholdFor(national, year), 'the shipped national profile has no line for this year').toBeUndefined();

    const dataDir = mkdtempSync(join(tmpdir(), 'fpfp-startup-'));
    const env: NodeJS.ProcessEnv = {};
    for (const [key, value] of Object.entries(process.env)) if (!STRIPPED.test(key)) env[key] = value;
    const proc = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
      cwd: PROJECT_ROOT,
      env: { ...env, PORT: String(await freePort()), DATA_DIR: dataDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<void>((resolve) => proc.on('exit', () => resolve()));
    cleanup.push(() => {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
    });
    let output = '';
    proc.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    proc.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));

    const deadline = Date.now() + 20_000;
    while (!output.includes('Local mode')) {
      if (proc.exitCode !== null) throw new Error(`server exited (${proc.exitCode}):\n${output}`);
      if (Date.now() > deadline) throw new Error(`server did not start:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const warning = output.split('\n').find((line) => line.includes('config/profiles/national-2022.yaml'));
    expect(warning, output).toBeDefined();
    expect(warning).toContain(`config/profiles/national-2022.yaml: incomeThreshold.perYear.\\"${year}\\" is not set — eliminations in ${year} cannot be judged until it is`);
    expect(JSON.parse(warning!)).toMatchObject({ level: 40, file: 'config/profiles/national-2022.yaml', setting: `incomeThreshold.perYear."${year}"` });

    proc.kill('SIGTERM');
    await exited;
  }, 30_000);
});
