import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SIMULATOR_CREDENTIALS } from '../src/config.js';
import { PROJECT_ROOT } from '../src/shared/paths.js';
import { encryptedCallback, openReply, postCallback } from './helpers/callbacks.js';
import { freePort } from './helpers/free-port.js';

/**
 * The newcomer experience: `npm start` with no configuration at all. Spawns the real server
 * (through tsx instead of a build) as a child process and talks to it over HTTP.
 */


const SIM_CRYPTO = { token: SIMULATOR_CREDENTIALS.token, encodingAesKey: SIMULATOR_CREDENTIALS.encodingAesKey, corpId: SIMULATOR_CREDENTIALS.corpId };
const STRIPPED = /^(WECOM_|REDIS_URL$|MONGODB_URL$|ADMIN_TOKEN$|ORG_FILE$|PORT$|HOST$|DATA_DIR$|LOG_LEVEL$|CALLBACK_)/;

interface Child {
  proc: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

const children: Child[] = [];
const dirs: string[] = [];

afterEach(async () => {
  for (const child of children.splice(0)) {
    if (child.proc.exitCode === null && child.proc.signalCode === null) {
      child.proc.kill('SIGKILL');
      await child.exited;
    }
  }
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** process.env without anything that configures the service, plus `extra`. */
function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!STRIPPED.test(key)) env[key] = value;
  return { ...env, ...extra };
}

function startServer(extraEnv: Record<string, string>): Child {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: PROJECT_ROOT,
    env: cleanEnv(extraEnv),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  proc.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
  proc.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  const child = { proc, stdout: () => out, stderr: () => err, exited };
  children.push(child);
  return child;
}

/** Polls (bounded) until `done` holds; fails with what the child printed so far. */
async function waitFor(child: Child, what: string, done: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (child.proc.exitCode !== null) throw new Error(`server exited (${child.proc.exitCode}) before ${what}:\n${child.stderr()}\n${child.stdout()}`);
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}:\n${child.stderr()}\n${child.stdout()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function exitCodeWithin(child: Child, ms: number): Promise<number | null> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), ms)));
  const result = await Promise.race([child.exited, timeout]);
  clearTimeout(timer);
  if (result === 'timeout') throw new Error(`server did not exit within ${ms} ms:\n${child.stderr()}`);
  return result;
}

describe('local mode: starting with no configuration', () => {
  it('starts, is healthy, answers an unknown WeCom user whom to contact, and stops cleanly on SIGTERM', async () => {
    const port = await freePort();
    const dataDir = mkdtempSync(join(tmpdir(), 'fpfp-local-'));
    dirs.push(dataDir);
    const child = startServer({ PORT: String(port), DATA_DIR: dataDir });

    await waitFor(child, "the 'Local mode' line", () => child.stderr().includes('Local mode'), 20_000);
    const banner = child.stderr().split('\n').filter((line) => line.includes('Local mode'));
    expect(banner).toHaveLength(1);
    expect(banner[0]).toContain(`:${port}`);

    const base = `http://127.0.0.1:${port}`;
    const health = await fetch(`${base}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok' });
    expect((await fetch(`${base}/readyz`)).status).toBe(200);

    const now = Math.floor(Date.now() / 1000);
    const cb = encryptedCallback(
      SIM_CRYPTO,
      { ToUserName: SIM_CRYPTO.corpId, FromUserName: 'wangwu_unknown', CreateTime: now, MsgType: 'text', Content: '你好', MsgId: '7300000000000000001', AgentID: SIMULATOR_CREDENTIALS.agentId },
      now,
    );
    const res = await postCallback(base, cb);
    expect(res.status).toBe(200);
    expect(res.body).toContain('<Encrypt>');
    const reply = openReply(SIM_CRYPTO, res.body);
    expect(reply).toMatchObject({ ToUserName: 'wangwu_unknown', MsgType: 'text' });
    expect(String(reply.Content)).toContain('示范县乡村振兴局');

    child.proc.kill('SIGTERM');
    expect(await exitCodeWithin(child, 5_000)).toBe(0);
  });

  it('PORT=abc: exits non-zero and names the variable', async () => {
    const child = startServer({ PORT: 'abc', DATA_DIR: join(tmpdir(), 'fpfp-unused') });
    const code = await exitCodeWithin(child, 20_000);
    expect(code).not.toBe(0);
    expect(child.stderr()).toMatch(/PORT: /);
    expect(child.stderr()).not.toContain('Local mode');
  });

  it('WECOM_SECRET set alone: exits non-zero, names the missing variables, never prints the secret', async () => {
    const secret = 'Sup3rSecretAppSecretValue-x9';
    const child = startServer({ WECOM_SECRET: secret, DATA_DIR: join(tmpdir(), 'fpfp-unused') });
    const code = await exitCodeWithin(child, 20_000);
    expect(code).not.toBe(0);
    for (const name of ['WECOM_CORP_ID', 'WECOM_AGENT_ID', 'WECOM_TOKEN', 'WECOM_ENCODING_AES_KEY']) expect(child.stderr()).toContain(name);
    expect(child.stderr() + child.stdout()).not.toContain(secret);
  });

  it('a malformed secret-bearing variable is named but its value never printed', async () => {
    const password = 'hunter2-redis-password';
    const aesKey = 'not-a-valid-aes-key-but-a-secret-QwErTy';
    const child = startServer({
      REDIS_URL: `http://admin:${password}@cache.internal:6379`,
      WECOM_ENCODING_AES_KEY: aesKey,
      DATA_DIR: join(tmpdir(), 'fpfp-unused'),
    });
    const code = await exitCodeWithin(child, 20_000);
    expect(code).not.toBe(0);
    const output = child.stderr() + child.stdout();
    expect(output).toContain('REDIS_URL');
    expect(output).toContain('WECOM_ENCODING_AES_KEY');
    expect(output).not.toContain(password);
    expect(output).not.toContain(aesKey);
  });
});
