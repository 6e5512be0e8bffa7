import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/shared/paths.js';
import { startFakeWeComApi } from '../../src/simulator/fake-wecom-api.js';
import type { FakeWeComState } from '../../src/simulator/fake-wecom-state.js';
import type { ButtonCard } from '../../src/wecom/api.js';
import { encryptedCallback, postCallback, textMessage } from '../helpers/callbacks.js';
import { freePort } from '../helpers/free-port.js';
import { TcpProxy } from '../helpers/tcp-proxy.js';
import { TEST_DATA_KEY } from '../helpers/test-app.js';
import { VECTOR_CRYPTO } from '../helpers/vectors.js';

/**
 * `kill -9` of a real service process at the worst moments, then a restart on the same stores: nothing is
 * lost, nothing is sent twice, nobody waits for a lock the dead process held. Needs a real Redis (CI has one).
 */
const REDIS_URL = process.env.REDIS_URL;
const OPEN_KFID = 'wkCrashDesk';
const UP_TO_REVIEW = ['申报', '张德福', '430621195805121238', '13812345678', '1', '1', '1', '3', '1', '6', '老伴生病住院，每月自付两千多元。', '说完了', '是', '是'];

interface Service {
  proc: ChildProcess;
  url: string;
  exited: Promise<void>;
  output: () => string;
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

let seq = 0;
const nowSec = () => Math.floor(Date.now() / 1000);

async function world(redisUrl: string) {
  const fake = await startFakeWeComApi({ corpId: VECTOR_CRYPTO.corpId, secret: 'test-app-secret' });
  const dataDir = mkdtempSync(join(tmpdir(), 'fpfp-crash-'));
  const port = await freePort();
  cleanups.push(() => fake.close(), () => rmSync(dataDir, { recursive: true, force: true }));
  const env = {
    WECOM_CORP_ID: VECTOR_CRYPTO.corpId, WECOM_AGENT_ID: '1000002', WECOM_SECRET: 'test-app-secret', WECOM_TOKEN: VECTOR_CRYPTO.token,
    WECOM_ENCODING_AES_KEY: VECTOR_CRYPTO.encodingAesKey, WECOM_API_BASE: fake.baseUrl, ADMIN_TOKEN: 'crash-test-admin-token-0123',
    DATA_KEY: TEST_DATA_KEY, DATA_DIR: dataDir, PORT: String(port), REDIS_URL: redisUrl,
    REDIS_KEY_PREFIX: `crash${process.pid}${Math.random().toString(36).slice(2, 8)}:`, OUTBOX_RETRY_BASE_MS: '50', LOG_LEVEL: 'warn',
  };
  const start = async (): Promise<Service> => {
    const proc = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], { cwd: PROJECT_ROOT, env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    proc.stdout!.on('data', (c: Buffer) => (out += c.toString()));
    proc.stderr!.on('data', (c: Buffer) => (out += c.toString()));
    const exited = new Promise<void>((resolve) => proc.on('exit', () => resolve()));
    const service: Service = { proc, url: `http://127.0.0.1:${port}`, exited, output: () => out };
    cleanups.push(async () => {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
      await exited;
    });
    await until(`the service to answer /healthz\n${out}`, async () => (await fetch(`${service.url}/healthz`).catch(() => undefined))?.ok === true, 30_000);
    return service;
  };
  return { fake: fake.state, dataDir, start };
}

async function until(what: string, done: () => boolean | Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function kill(service: Service): Promise<void> {
  service.proc.kill('SIGKILL');
  await service.exited;
}

const kfTo = (fake: FakeWeComState, user: string) =>
  fake.kfSent.filter((m) => m.touser === user).map((m) => (m.text as { content: string } | undefined)?.content ?? (m.msgmenu as { head_content: string }).head_content);
const appTo = (fake: FakeWeComState, user: string) => fake.appMessages.filter((m) => m.touser === user).map((m) => (m.text as { content: string } | undefined)?.content ?? '');

/** A household's text lands in the kf inbox and WeCom says so; does not wait for the answer. */
async function household(service: Service, fake: FakeWeComState, user: string, content: string): Promise<void> {
  fake.pushKfMessage({ msgid: `crash${++seq}`, open_kfid: OPEN_KFID, external_userid: user, send_time: nowSec(), origin: 3, msgtype: 'text', text: { content } });
  const ts = nowSec();
  const cb = encryptedCallback(VECTOR_CRYPTO, { ToUserName: VECTOR_CRYPTO.corpId, CreateTime: ts, MsgType: 'event', Event: 'kf_msg_or_event', Token: `ENCcrash${++seq}`, OpenKfId: OPEN_KFID }, ts);
  await postCallback(service.url, cb);
}

/** Says it and waits for the answer. */
async function householdAsks(service: Service, fake: FakeWeComState, user: string, content: string): Promise<string[]> {
  const before = kfTo(fake, user).length;
  await household(service, fake, user, content);
  await until(`an answer to ${user} after "${content}"\n${service.output()}`, () => kfTo(fake, user).length > before, 15_000);
  await new Promise((resolve) => setTimeout(resolve, 100));
  return kfTo(fake, user).slice(before);
}

describe.skipIf(!REDIS_URL)('kill -9 of the service, then a restart on the same stores', () => {
  it('at a household\'s final confirmation: the confirmation and both cadre notices arrive once, other households are not kept waiting', { timeout: 120_000 }, async () => {
    const { fake, start } = await world(REDIS_URL!);
    let service = await start();
    for (const text of UP_TO_REVIEW) await householdAsks(service, fake, 'wmCrashA', text);

    // The answers go out slowly: the process dies while they are in flight.
    fake.delayNext('kf/send_msg', 2_000, 1);
    fake.delayNext('message/send', 2_000, 2);
    const calls = fake.calls.length;
    await household(service, fake, 'wmCrashA', '1');
    await until('the confirmation to be in flight', () => fake.calls.slice(calls).some((c) => c.api === 'kf/send_msg'), 15_000);
    await kill(service);

    service = await start();
    // Another household is answered within seconds: no lock of the dead process holds its account for long.
    const started = Date.now();
    expect((await householdAsks(service, fake, 'wmCrashB', '你好')).join('')).toContain('防止返贫监测帮扶服务');
    expect(Date.now() - started).toBeLessThan(12_000);

    const confirmations = () => kfTo(fake, 'wmCrashA').filter((t) => t.includes('申报已提交'));
    const notices = (userId: string) => appTo(fake, userId).filter((t) => t.includes('新的自主申报'));
    await until('the confirmation and the notices', () => confirmations().length >= 1 && notices('wangcadre').length >= 1 && notices('zhoucadre').length >= 1, 60_000);
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect([confirmations().length, notices('wangcadre').length, notices('zhoucadre').length]).toEqual([1, 1, 1]);

    // The household, unsure, sends its 1 again: it is not a second declaration, and nobody hears of one.
    await householdAsks(service, fake, 'wmCrashA', '1');
    expect(kfTo(fake, 'wmCrashA').join('\n')).not.toContain('已经有一件正在办理的申报');
    expect(fake.appMessages.map((m) => JSON.stringify(m)).join('\n')).not.toContain('重复申报');
    expect((await householdAsks(service, fake, 'wmCrashA', '进度')).join('\n')).toContain('案件编号');
  });

  it('during a card click: the decision is taken once and WeCom\'s retry gets the answer', { timeout: 120_000 }, async () => {
    const proxy = new TcpProxy('127.0.0.1', Number(new URL(REDIS_URL!).port || 6379));
    await proxy.start();
    cleanups.push(() => proxy.close());
    const { fake, dataDir, start } = await world(`redis://127.0.0.1:${proxy.port}`);
    let service = await start();
    for (const text of [...UP_TO_REVIEW, '1']) await householdAsks(service, fake, 'wmCrashC', text);

    // The township reviewer lists their work and gets the card to accept the lead.
    const ts = nowSec();
    await postCallback(service.url, encryptedCallback(VECTOR_CRYPTO, textMessage('chentownship', '我的待办', `9${++seq}`, ts), ts));
    await until('the card', () => fake.appMessages.some((m) => m.touser === 'chentownship' && m.msgtype === 'template_card'), 15_000);
    const card = fake.appMessages.find((m) => m.touser === 'chentownship' && m.msgtype === 'template_card')!.template_card as ButtonCard;

    const clickTs = nowSec();
    const click = encryptedCallback(
      VECTOR_CRYPTO,
      { ToUserName: VECTOR_CRYPTO.corpId, FromUserName: 'chentownship', CreateTime: clickTs, MsgType: 'event', Event: 'template_card_event', EventKey: 'agree', TaskId: card.task_id, CardType: 'button_interaction', ResponseCode: fake.issueResponseCode(), AgentID: 1000002 },
      clickTs,
    );
    // The decision reaches the cases file; at that moment the service loses Redis, and then it is killed.
    const casesFile = join(dataDir, 'cases.db');
    const size = statSync(casesFile).size;
    const first = postCallback(service.url, click).catch(() => undefined);
    await until('the decision to be written', () => statSync(casesFile).size > size, 15_000);
    proxy.freeze();
    await new Promise((resolve) => setTimeout(resolve, 300));
    await kill(service);
    await first;
    proxy.dropAll();
    proxy.thaw();

    service = await start();
    // WeCom got no answer, so it sends the click again.
    expect((await postCallback(service.url, click)).status).toBe(200);
    const confirmations = () => appTo(fake, 'chentownship').filter((t) => t.startsWith('已记录'));
    await until(`the confirmation\n${service.output()}`, () => confirmations().length >= 1, 60_000);
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect(confirmations()).toEqual([expect.stringContaining('受理。现在：待入户核实')]);
    expect(appTo(fake, 'chentownship').join('\n')).not.toContain('已有新进展');
  });
});
