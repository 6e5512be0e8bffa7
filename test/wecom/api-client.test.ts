import Fastify from 'fastify';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeWeComState, registerFakeWeComApi, startFakeWeComApi } from '../../src/simulator/fake-wecom-api.js';
import { MemoryStateStore } from '../../src/stores/state-store.memory.js';
import type { StateStore } from '../../src/stores/state-store.js';
import { WeComHttpApi } from '../../src/wecom/api-client.js';
import type { AppMessage } from '../../src/wecom/api.js';
import { WeComApiError, WeComConfigError, WeComNetworkError, WeComRateLimitError } from '../../src/wecom/errors.js';

const CORP_ID = 'ww-test-corp';
const SECRET = 'test-secret-DO-NOT-LOG-8f2c1e';
const AGENT_ID = 1000002;
const OPEN_KFID = 'wk-test-kf';
const CUSTOMER = 'wm-customer-1';

const text = (content: string): AppMessage => ({ touser: 'zhangsan', msgtype: 'text', text: { content } });

let fake: Awaited<ReturnType<typeof startFakeWeComApi>>;
let state: FakeWeComState;
let logLines: string[];

function makeClient(store: StateStore, overrides: Partial<ConstructorParameters<typeof WeComHttpApi>[0]> = {}): WeComHttpApi {
  const logger = pino({ level: 'trace' }, { write: (line: string) => void logLines.push(line) });
  return new WeComHttpApi({
    baseUrl: fake.baseUrl, corpId: CORP_ID, agentId: AGENT_ID, secret: SECRET, store, logger,
    sleep: () => Promise.resolve(),
    ...overrides,
  });
}

const sendCalls = () => state.calls.filter((c) => c.api === 'message/send').length;

beforeEach(async () => {
  logLines = [];
  fake = await startFakeWeComApi({ corpId: CORP_ID, secret: SECRET });
  state = fake.state;
});

afterEach(async () => {
  await fake.close();
  // (i) nothing secret in any log line of any test
  const logs = logLines.join('');
  expect(logs).not.toContain(SECRET);
  for (const token of state.issuedTokens) expect(logs).not.toContain(token);
});

describe('WeComHttpApi against the fake WeCom API', () => {
  it('(a) 50 concurrent sends fetch the token once and are all recorded', async () => {
    const api = makeClient(new MemoryStateStore());
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => api.sendAppMessage(text(`m${i}`))));
    expect(state.gettokenCalls).toBe(1);
    expect(state.appMessages).toHaveLength(50);
    expect(new Set(results.map((r) => r.msgid)).size).toBe(50);
    expect(state.appMessages[0]).toMatchObject({ agentid: AGENT_ID, touser: 'zhangsan' });
  });

  it('(b) two instances sharing one store fetch the token once', async () => {
    const store = new MemoryStateStore();
    const [a, b] = [makeClient(store), makeClient(store)];
    await Promise.all([
      ...Array.from({ length: 20 }, (_, i) => a.sendAppMessage(text(`a${i}`))),
      ...Array.from({ length: 20 }, (_, i) => b.sendAppMessage(text(`b${i}`))),
    ]);
    expect(state.gettokenCalls).toBe(1);
    expect(state.appMessages).toHaveLength(40);
    expect(await store.keys('wecom:token-lock:')).toEqual([]);
  });

  it('(c) an expired token is refreshed once and the send retried once', async () => {
    const api = makeClient(new MemoryStateStore());
    await api.sendAppMessage(text('warm-up'));
    state.expireAllTokens();
    await api.sendAppMessage(text('after expiry'));
    expect(state.gettokenCalls).toBe(2);
    expect(sendCalls()).toBe(3);
    expect(state.appMessages.filter((m) => JSON.stringify(m).includes('after expiry'))).toHaveLength(1);
  });

  it('(c2) concurrent sends hitting an expired token cause one refresh', async () => {
    const api = makeClient(new MemoryStateStore());
    await api.sendAppMessage(text('warm-up'));
    state.expireAllTokens();
    await Promise.all(Array.from({ length: 10 }, (_, i) => api.sendAppMessage(text(`x${i}`))));
    expect(state.gettokenCalls).toBe(2);
    expect(state.appMessages).toHaveLength(11);
  });

  it('(d) system busy (-1) twice, then success on the third try', async () => {
    const api = makeClient(new MemoryStateStore());
    state.failNext('message/send', -1, 2);
    await expect(api.sendAppMessage(text('busy'))).resolves.toMatchObject({ msgid: expect.any(String) });
    expect(sendCalls()).toBe(3);
    expect(state.appMessages).toHaveLength(1);
  });

  it('(d2) system busy on every try surfaces errcode -1 after `attempts` tries', async () => {
    const api = makeClient(new MemoryStateStore());
    state.failNext('message/send', -1, 5);
    await expect(api.sendAppMessage(text('busy'))).rejects.toMatchObject({ name: 'WeComApiError', errcode: -1 });
    expect(sendCalls()).toBe(3);
  });

  it('(e) a rate limit is surfaced at once, without retrying', async () => {
    const api = makeClient(new MemoryStateStore());
    state.failNext('message/send', 45009);
    const err = await api.sendAppMessage(text('limited')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WeComRateLimitError);
    expect(err).toMatchObject({ errcode: 45009, api: 'message/send', retryAfterMs: 60_000 });
    expect(sendCalls()).toBe(1);
    expect(state.appMessages).toHaveLength(0);
  });

  it('(f) a bad secret is a config error and gettoken is not looped', async () => {
    const api = makeClient(new MemoryStateStore());
    state.failNext('gettoken', 40001);
    const err = await api.sendAppMessage(text('x')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WeComConfigError);
    expect(err).toMatchObject({ errcode: 40001, api: 'gettoken' });
    expect(state.gettokenCalls).toBe(1);
    expect(sendCalls()).toBe(0);

    const wrongCorp = makeClient(new MemoryStateStore(), { corpId: 'ww-other' });
    await expect(wrongCorp.sendAppMessage(text('x'))).rejects.toMatchObject({ name: 'WeComConfigError', errcode: 40013 });
    expect(state.gettokenCalls).toBe(2);
  });

  it('(g) a dropped connection is retried when the send is idempotent (duplicate check on)', async () => {
    const api = makeClient(new MemoryStateStore());
    state.dropConnectionsNext('message/send', 1);
    await api.sendAppMessage({ ...text('dropped once'), enable_duplicate_check: 1 });
    expect(sendCalls()).toBe(2);
    expect(state.appMessages).toHaveLength(1);
    expect(logLines.some((l) => l.includes('retrying wecom call'))).toBe(true);
  });

  it('(g1) a dropped connection is not retried when a retry could deliver twice', async () => {
    const api = makeClient(new MemoryStateStore());
    state.dropConnectionsNext('message/send', 1);
    await expect(api.sendAppMessage(text('maybe delivered'))).rejects.toBeInstanceOf(WeComNetworkError);
    expect(sendCalls()).toBe(1);
  });

  it('(g2) a timed-out kf send is retried; the reused msgid keeps it single', async () => {
    const api = makeClient(new MemoryStateStore(), { timeoutMs: 150 });
    await api.kfGetServiceState({ openKfId: OPEN_KFID, externalUserId: CUSTOMER }); // warm the token
    state.delayNext('kf/send_msg', 400);
    const res = await api.kfSendMsg({ touser: CUSTOMER, open_kfid: OPEN_KFID, msgid: 'out-1', msgtype: 'text', text: { content: 'hi' } });
    expect(res.msgid).toBe('out-1');
    await new Promise((resolve) => setTimeout(resolve, 400)); // let the delayed first attempt land
    expect(state.kfSent).toHaveLength(1);
  });

  it('(h) kf round trip: sync, sync again with the cursor, send', async () => {
    const api = makeClient(new MemoryStateStore());
    const now = Math.floor(Date.now() / 1000);
    for (const [i, content] of ['你好', '我想申请补助'].entries()) {
      state.pushKfMessage({ msgid: `in-${i}`, open_kfid: OPEN_KFID, external_userid: CUSTOMER, send_time: now, origin: 3, msgtype: 'text', text: { content } });
    }
    const first = await api.kfSyncMsg({ openKfId: OPEN_KFID, token: 'callback-token' });
    expect(first.msg_list.map((m) => m.text?.content)).toEqual(['你好', '我想申请补助']);
    expect(first.has_more).toBe(0);
    expect(first.next_cursor).not.toBe('');
    const second = await api.kfSyncMsg({ openKfId: OPEN_KFID, cursor: first.next_cursor });
    expect(second.msg_list).toEqual([]);
    expect(state.syncRequests).toEqual([
      { open_kfid: OPEN_KFID, token: 'callback-token' },
      { open_kfid: OPEN_KFID, cursor: first.next_cursor },
    ]);
    expect(state.calls.find((c) => c.api === 'kf/sync_msg')?.body).toEqual({ token: 'callback-token', limit: 1000, voice_format: 0, open_kfid: OPEN_KFID });

    await api.kfTransServiceState({ openKfId: OPEN_KFID, externalUserId: CUSTOMER, serviceState: 1 });
    expect(await api.kfGetServiceState({ openKfId: OPEN_KFID, externalUserId: CUSTOMER })).toEqual({ serviceState: 1 });
    await api.kfSendMsg({ touser: CUSTOMER, open_kfid: OPEN_KFID, msgid: 'r-1', msgtype: 'text', text: { content: '收到' } });
    expect(state.kfSent).toEqual([expect.objectContaining({ msgid: 'r-1', touser: CUSTOMER, text: { content: '收到' } })]);
  });

  it('kf sends are refused once a human took over, and a reused msgid is refused', async () => {
    const api = makeClient(new MemoryStateStore());
    const msg = { touser: CUSTOMER, open_kfid: OPEN_KFID, msgid: 'r-2', msgtype: 'text' as const, text: { content: 'x' } };
    await api.kfSendMsg(msg);
    await expect(api.kfSendMsg(msg)).rejects.toMatchObject({ errcode: 95017 });
    state.setServiceState(OPEN_KFID, CUSTOMER, 3, 'servicer-1');
    await expect(api.kfSendMsg({ ...msg, msgid: 'r-3' })).rejects.toMatchObject({ errcode: 95018 });
  });

  it('template cards get a response_code that works once; bad bodies are refused', async () => {
    const api = makeClient(new MemoryStateStore());
    const card: AppMessage = {
      touser: 'zhangsan', msgtype: 'template_card',
      template_card: { card_type: 'button_interaction', main_title: { title: '补贴名单确认' }, task_id: 'rv_1', button_list: [{ text: '确认', key: 'ok:rv_1' }] },
    };
    const { response_code } = await api.sendAppMessage(card);
    expect(response_code).toMatch(/^rc_/);
    await api.updateTemplateCard({ response_code: response_code ?? '', atall: 1, button: { replace_name: '已确认' } });
    expect(state.cardUpdates).toHaveLength(1);
    await expect(api.updateTemplateCard({ response_code: response_code ?? '', button: { replace_name: 'x' } })).rejects.toBeInstanceOf(WeComApiError);
    await expect(api.sendAppMessage(card)).rejects.toMatchObject({ errcode: 42014 });
    await expect(api.sendAppMessage(text(''))).rejects.toMatchObject({ errcode: 40058 });
  });

  it('(i) errors and logs never carry the secret or a token', async () => {
    const api = makeClient(new MemoryStateStore());
    await api.sendAppMessage(text('one'));
    state.expireAllTokens();
    state.failNext('message/send', 42001, 2); // refreshed once, then surfaced
    const errors: unknown[] = [await api.sendAppMessage(text('two')).catch((e: unknown) => e)];
    state.dropConnectionsNext('message/send', 3);
    errors.push(await api.sendAppMessage(text('three')).catch((e: unknown) => e));
    state.failNext('gettoken', 40001);
    errors.push(await makeClient(new MemoryStateStore()).sendAppMessage(text('four')).catch((e: unknown) => e));
    expect(errors.map((e) => (e as Error).name)).toEqual(['WeComApiError', 'WeComNetworkError', 'WeComConfigError']);
    const everything = logLines.join('') + errors.map((e) => `${String(e)} ${JSON.stringify(e)}`).join('');
    expect(everything).not.toContain(SECRET);
    expect(state.issuedTokens.length).toBeGreaterThan(0);
    for (const token of state.issuedTokens) expect(everything).not.toContain(token);
    expect(everything).not.toContain('access_token=');
  });

  it('the fake mounts under a prefix, as in local mode', async () => {
    const app = Fastify();
    const local = new FakeWeComState({ corpId: CORP_ID, secret: SECRET });
    registerFakeWeComApi(app, local, { prefix: '/simulator/wecom-api' });
    await app.listen({ host: '127.0.0.1', port: 0 });
    try {
      const address = app.server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      const sent: string[] = [];
      local.onSend((event) => sent.push(event.kind));
      const api = makeClient(new MemoryStateStore(), { baseUrl: `http://127.0.0.1:${port}/simulator/wecom-api/` });
      await api.sendAppMessage(text('local'));
      expect(local.appMessages).toHaveLength(1);
      expect(sent).toEqual(['app_message']);
    } finally {
      await app.close();
    }
  });
});
