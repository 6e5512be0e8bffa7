import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseEnv } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../src/shared/paths.js';
import { startFakeWeComApi } from '../src/simulator/fake-wecom-api.js';
import { freePort } from './helpers/free-port.js';
import { TEST_DATA_KEY } from './helpers/test-app.js';
import { VECTOR_CRYPTO } from './helpers/vectors.js';

/**
 * A deployer copies .env.example to .env, fills it in and runs the service from that folder. Spawns the
 * real server (through tsx) with a temporary working directory holding the .env, and reads its startup line.
 */
const CONFIGURING = /^(WECOM_|REDIS_|MONGODB_URL$|ADMIN_TOKEN$|DATA_KEY$|ORG_FILE$|PORT$|HOST$|DATA_DIR$|LOG_LEVEL$|CALLBACK_|CONVERSATION_|POLICY_PROFILE$|SENDER_)/;
const TSX = pathToFileURL(join(PROJECT_ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;
const SERVER = join(PROJECT_ROOT, 'src', 'server.ts');

interface Child {
  proc: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}
const children: Child[] = [];
const cleanups: (() => Promise<void> | void)[] = [];

afterEach(async () => {
  for (const child of children.splice(0)) {
    if (child.proc.exitCode === null && child.proc.signalCode === null) {
      child.proc.kill('SIGKILL');
      await child.exited;
    }
  }
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

/** A working directory holding `.env` (when given); removed after the test. */
function workDir(envFile?: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'fpfp-env-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  if (envFile !== undefined) writeFileSync(join(dir, '.env'), envFile);
  return dir;
}

function start(cwd: string, env: Record<string, string> = {}): Child {
  const clean: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!CONFIGURING.test(key)) clean[key] = value;
  const proc = spawn(process.execPath, ['--import', TSX, SERVER], { cwd, env: { ...clean, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  proc.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
  proc.stderr!.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
  const child = { proc, output: () => out, exited: new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code))) };
  children.push(child);
  return child;
}

interface StartupLine {
  msg: string;
  mode: string;
  stateStore: string;
  documentStore: string;
  deliveryQueue: string;
  policyProfile: string;
  policyProfileChosenBy: string;
  orgFile: string;
  envFile: string | null;
}

/** Waits for the startup line; fails with what the child printed. */
async function startupLine(child: Child, timeoutMs = 30_000): Promise<StartupLine> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const lines = child.output().split('\n').filter((l) => l.includes('"mode":'));
    if (lines.length > 0) {
      expect(lines, 'one startup line').toHaveLength(1);
      return JSON.parse(lines[0]!) as StartupLine;
    }
    if (child.proc.exitCode !== null) throw new Error(`server exited (${child.proc.exitCode}):\n${child.output()}`);
    if (Date.now() > deadline) throw new Error(`no startup line within ${timeoutMs} ms:\n${child.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function exitCode(child: Child, ms = 30_000): Promise<number | null> {
  const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), ms).unref());
  const result = await Promise.race([child.exited, timeout]);
  if (result === 'timeout') throw new Error(`server did not exit within ${ms} ms:\n${child.output()}`);
  return result;
}

/** .env.example with some variables filled in, the way a deployer edits it (the comments stay). */
function filledExample(values: Record<string, string>): string {
  let text = readFileSync(join(PROJECT_ROOT, '.env.example'), 'utf8');
  for (const [name, value] of Object.entries(values)) {
    const line = new RegExp(`^${name}=[^\\s#]*`, 'm');
    text = line.test(text) ? text.replace(line, `${name}=${value}`) : `${text}\n${name}=${value}\n`;
  }
  return text;
}

describe('.env in the working directory', { timeout: 60_000 }, () => {
  it('a .env copied from .env.example with a WeCom app filled in starts in WeCom mode, on its port, and says so in one line', async () => {
    const fake = await startFakeWeComApi({ corpId: VECTOR_CRYPTO.corpId, secret: 'deployer-app-secret' });
    cleanups.push(() => fake.close());
    const port = await freePort();
    const dir = workDir();
    writeFileSync(
      join(dir, '.env'),
      filledExample({
        PORT: String(port),
        DATA_DIR: join(dir, 'data'),
        WECOM_CORP_ID: VECTOR_CRYPTO.corpId,
        WECOM_AGENT_ID: '1000002',
        WECOM_SECRET: 'deployer-app-secret',
        WECOM_TOKEN: VECTOR_CRYPTO.token,
        WECOM_ENCODING_AES_KEY: VECTOR_CRYPTO.encodingAesKey,
        WECOM_API_BASE: fake.baseUrl,
        ADMIN_TOKEN: 'deployer-admin-token-0123',
        DATA_KEY: TEST_DATA_KEY,
      }),
    );
    const child = start(dir);

    const line = await startupLine(child);
    expect(line).toMatchObject({
      mode: 'wecom',
      stateStore: 'memory',
      documentStore: 'embedded',
      deliveryQueue: 'in-process',
      policyProfile: 'hunan-2022@1',
      policyProfileChosenBy: 'automatic',
      envFile: '.env',
    });
    expect(line.msg).toContain('WeCom mode');
    expect(line.msg).toContain("policy profile hunan-2022@1 (chosen automatically by the county's area code 430621)");
    // No ORG_FILE: the demo org's staff are nobody in a real WeCom, and the deployer is told so.
    expect(line).toMatchObject({ orgFile: 'config/org.demo.yaml (demo)' });
    expect(child.output()).toMatch(/"level":40[^\n]*ORG_FILE is not set: this WeCom deployment runs on the demo org/);
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    // Time is real in WeCom mode: there is no simulator and nothing that moves the clock.
    const moveTime = await fetch(`http://127.0.0.1:${port}/simulator/clock`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"days":6}' });
    expect(moveTime.status).toBe(404);
    expect((await fetch(`http://127.0.0.1:${port}/simulator`)).status).toBe(404);
    expect(child.output()).not.toContain('Local mode');
    expect(child.output()).not.toContain('deployer-app-secret');
  });

  it('variables already set in the environment win over .env; POLICY_PROFILE names the profile', async () => {
    const port = await freePort();
    const dir = workDir();
    writeFileSync(join(dir, '.env'), `PORT=1\nDATA_DIR=${join(dir, 'data')}\nPOLICY_PROFILE=henan-2021\n`);
    const child = start(dir, { PORT: String(port), POLICY_PROFILE: 'national-2022@1' });

    const line = await startupLine(child);
    expect(line).toMatchObject({ mode: 'local', policyProfile: 'national-2022@1', policyProfileChosenBy: 'POLICY_PROFILE', envFile: '.env' });
    expect(line.msg).toContain('policy profile national-2022@1 (named by POLICY_PROFILE)');
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
  });

  it('without a .env the service starts as before and says its settings come from the environment alone', async () => {
    const port = await freePort();
    const dir = workDir();
    const child = start(dir, { PORT: String(port), DATA_DIR: join(dir, 'data') });
    const line = await startupLine(child);
    expect(line).toMatchObject({ mode: 'local', envFile: null });
    expect(line.msg).toContain('no .env file');
    // Local mode runs on the demo org by design: no warning about it.
    expect(child.output()).not.toContain('ORG_FILE is not set');
  });

  it('an unknown POLICY_PROFILE stops startup, naming the variable and the profiles there are', async () => {
    const dir = workDir(`POLICY_PROFILE=hunan-2021\nDATA_DIR=${join(tmpdir(), 'fpfp-unused')}\n`);
    const child = start(dir);
    expect(await exitCode(child)).not.toBe(0);
    expect(child.output()).toMatch(/POLICY_PROFILE: no policy profile "hunan-2021"; write one of: .*hunan-2022@1/);
    expect(child.output()).not.toContain('"mode":');
  });
});

describe('.env.example', () => {
  const example = readFileSync(join(PROJECT_ROOT, '.env.example'), 'utf8');
  const written = [...example.matchAll(/^([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]!);
  /** The variables config.ts reads: the keys of its zod schema (`  NAME: z…` lines). */
  const known = [...readFileSync(join(PROJECT_ROOT, 'src', 'config.ts'), 'utf8').matchAll(/^ {2}([A-Z][A-Z0-9_]*): /gm)].map((m) => m[1]!);

  it('reads back as written: Node\'s .env reader loses no variable to a comment', () => {
    expect(Object.keys(parseEnv(example)).sort()).toEqual([...written].sort());
    expect(parseEnv(example)).toMatchObject({ PORT: '3000', WECOM_CORP_ID: '', REDIS_KEY_PREFIX: 'fpfp:', DATA_KEY: '', CONVERSATION_RESUME_MINUTES: '30', POLICY_PROFILE: '' });
  });

  it('documents every variable the service reads, and only those', () => {
    expect(known.length).toBeGreaterThan(20);
    expect([...written].sort()).toEqual([...known].sort());
  });
});
