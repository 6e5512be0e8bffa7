import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/shared/paths.js';
import { startFakeWeComApi } from '../../src/simulator/fake-wecom-api.js';
import { TEST_DATA_KEY } from '../helpers/test-app.js';
import { VECTOR_CRYPTO } from '../helpers/vectors.js';

/**
 * The delivery worker, a real process of its own, killed with SIGKILL between recording its messages and
 * sending them, and again while sending; restarted on the same stores, it sends every message exactly once.
 */
const REDIS_URL = process.env.REDIS_URL;
const COUNT = 12;

interface Worker {
  proc: ChildProcess;
  exited: Promise<void>;
  output: () => string;
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function until(what: string, done: () => boolean | Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function world() {
  const fake = await startFakeWeComApi({ corpId: VECTOR_CRYPTO.corpId, secret: 'test-app-secret' });
  const dataDir = mkdtempSync(join(tmpdir(), 'fpfp-outbox-crash-'));
  cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }), () => fake.close());
  const env = {
    PATH: process.env.PATH ?? '', DATA_DIR: dataDir, REDIS_URL: REDIS_URL!, PREFIX: `crash${process.pid}${Math.random().toString(36).slice(2, 8)}:`,
    API_BASE: fake.baseUrl, CORP_ID: VECTOR_CRYPTO.corpId, SECRET: 'test-app-secret', DATA_KEY: TEST_DATA_KEY,
  };
  const start = async (extra: Record<string, string> = {}, waitFor = 'ready'): Promise<Worker> => {
    const proc = spawn(process.execPath, ['--import', 'tsx', 'test/helpers/outbox-process.ts'], { cwd: PROJECT_ROOT, env: { ...env, ...extra }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    proc.stdout!.on('data', (c: Buffer) => (out += c.toString()));
    proc.stderr!.on('data', (c: Buffer) => (out += c.toString()));
    const exited = new Promise<void>((resolve) => proc.on('exit', () => resolve()));
    cleanups.push(async () => {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
      await exited;
    });
    await until(`the worker to say "${waitFor}"\n${out}`, () => out.includes(waitFor) || proc.exitCode !== null, 30_000);
    if (proc.exitCode !== null) throw new Error(`the worker exited:\n${out}`);
    return { proc, exited, output: () => out };
  };
  const kill = async (w: Worker) => {
    w.proc.kill('SIGKILL');
    await w.exited;
  };
  const delivered = (batch: string) => fake.state.appMessages.map((m) => (m.text as { content: string }).content).filter((t) => t.startsWith(`${batch} `));
  return { fake: fake.state, start, kill, delivered };
}

describe.skipIf(!REDIS_URL)('the delivery worker killed with SIGKILL, then restarted', () => {
  it('between recording and sending: after the restart every message goes out, once', { timeout: 90_000 }, async () => {
    const { start, kill, delivered } = await world();
    // Recorded, due a moment later; the process dies right after recording.
    const first = await start({ RECORD: String(COUNT), NOT_BEFORE_MS: '1500', BATCH: 'recorded' }, 'recorded');
    await kill(first);
    expect(delivered('recorded')).toEqual([]);

    const second = await start();
    await until(`every message\n${second.output()}`, () => delivered('recorded').length >= COUNT, 45_000);
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(delivered('recorded').sort()).toEqual(Array.from({ length: COUNT }, (_, i) => `recorded 提醒 ${i}`).sort());
  });

  it('while sending: the sends WeCom got before the kill are not sent again', { timeout: 90_000 }, async () => {
    const { fake, start, kill, delivered } = await world();
    fake.delayNext('message/send', 3_000, 4);
    const first = await start({ RECORD: String(COUNT), BATCH: 'inflight' });
    await until('sends to be in flight', () => fake.calls.filter((c) => c.api === 'message/send').length >= 4, 20_000);
    await kill(first);

    const second = await start();
    await until(`every message\n${second.output()}`, () => delivered('inflight').length >= COUNT, 60_000);
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect(delivered('inflight').sort()).toEqual(Array.from({ length: COUNT }, (_, i) => `inflight 提醒 ${i}`).sort());
  });
});
