import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../src/shared/paths.js';
import { freePort } from '../helpers/free-port.js';

/** Anything that would configure the service: a local-mode start has none of it. */
const CONFIGURING = /^(WECOM_|REDIS_URL$|MONGODB_URL$|ADMIN_TOKEN$|DATA_KEY$|ORG_FILE$|PORT$|HOST$|DATA_DIR$|LOG_LEVEL$|CALLBACK_|CONVERSATION_)/;
const OUTPUT_KEEP_CHARS = 200_000;

export interface LocalServer {
  baseUrl: string;
  /** What the server printed (the tail), for failure messages. */
  output(): string;
  stop(): Promise<void>;
}

function exited(proc: ChildProcess): Promise<void> {
  return proc.exitCode !== null || proc.signalCode !== null ? Promise.resolve() : new Promise((resolve) => proc.once('exit', () => resolve()));
}

/**
 * The service as `npm start` runs it with no configuration (local mode), through tsx instead of a
 * build: a child process on a free port with a fresh DATA_DIR. Resolves once /healthz answers.
 */
export async function startLocalServer(timeoutMs = 30_000): Promise<LocalServer> {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'fpfp-sim-'));
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!CONFIGURING.test(key)) env[key] = value;
  const proc = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: PROJECT_ROOT,
    env: { ...env, PORT: String(port), DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const keep = (chunk: Buffer) => {
    out = (out + chunk.toString('utf8')).slice(-OUTPUT_KEEP_CHARS);
  };
  proc.stdout!.on('data', keep);
  proc.stderr!.on('data', keep);

  const stop = async () => {
    if (proc.exitCode === null && proc.signalCode === null) {
      proc.kill('SIGTERM');
      const killer = setTimeout(() => proc.kill('SIGKILL'), 5_000);
      await exited(proc);
      clearTimeout(killer);
    }
    rmSync(dataDir, { recursive: true, force: true });
  };

  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (proc.exitCode !== null) {
      await stop();
      throw new Error(`local server exited (${proc.exitCode}) before /healthz answered:\n${out}`);
    }
    const healthy = await fetch(`${baseUrl}/healthz`).then((r) => r.ok, () => false);
    if (healthy) return { baseUrl, output: () => out, stop };
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`local server did not answer /healthz within ${timeoutMs} ms:\n${out}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
