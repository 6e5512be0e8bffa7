import { readFileSync, rmSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Address, ChatHandler } from '../../src/channel/messages.js';
import { ManualClock } from '../../src/shared/clock.js';
import { FakeWeComState } from '../../src/simulator/fake-wecom-state.js';
import { EmbeddedDocumentStore } from '../../src/stores/document-store.embedded.js';
import type { StateStore } from '../../src/stores/state-store.js';
import type { KfMessage } from '../../src/wecom/api.js';
import { encryptedCallback, postCallback } from '../helpers/callbacks.js';
import { TEST_NOW, startTestService, testStateStore, type TestService } from '../helpers/test-app.js';
import { VECTOR_CRYPTO } from '../helpers/vectors.js';

const OPEN_KFID = 'wkFpfpHelpDesk01';
const HOUSEHOLD_HELP: string = (
  JSON.parse(readFileSync(new URL('../../templates/zh-CN/common.json', import.meta.url), 'utf8')) as { help: { household: string } }
).help.household;
const HOUR_MS = 3600_000;

let sequence = 0;
const nextId = (prefix: string) => `${prefix}${(++sequence).toString().padStart(4, '0')}`;

/** Services started by a test; closed (stores included) afterwards. */
const running: TestService[] = [];
const cleanups: (() => Promise<void> | void)[] = [];

afterEach(async () => {
  for (const svc of running.splice(0)) await svc.close();
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

/** The real service; the fake WeCom shares the service's manual clock (its 3-day history window follows it). */
async function startService(options: Parameters<typeof startTestService>[0] = {}): Promise<TestService> {
  const clock = options.clock ?? new ManualClock(TEST_NOW);
  const fake = options.fake ?? new FakeWeComState({ corpId: VECTOR_CRYPTO.corpId, secret: 'test-app-secret' });
  fake.now = () => clock.now().getTime();
  const svc = await startTestService({ ...options, clock, fake });
  running.push(svc);
  return svc;
}

const nowSec = (svc: TestService) => Math.floor(svc.clock.now().getTime() / 1000);

/** A household writes to the kf account (what WeChat puts in the kf inbox). */
function customerWrites(svc: TestService, externalUserId: string, content: string, sendTimeSec = nowSec(svc)): KfMessage {
  const message: KfMessage = {
    msgid: nextId('cust'),
    open_kfid: OPEN_KFID,
    external_userid: externalUserId,
    send_time: sendTimeSec,
    origin: 3,
    msgtype: 'text',
    text: { content },
  };
  svc.fake.pushKfMessage(message);
  return message;
}

/** A human servicer writes to the customer from the WeCom client (origin 5). */
function servicerWrites(svc: TestService, externalUserId: string, servicerUserId: string, content: string): void {
  svc.fake.pushKfMessage({
    msgid: nextId('serv'),
    open_kfid: OPEN_KFID,
    external_userid: externalUserId,
    send_time: nowSec(svc),
    origin: 5,
    servicer_userid: servicerUserId,
    msgtype: 'text',
    text: { content },
  });
}

function sessionStatusChange(svc: TestService, externalUserId: string, change: { change_type: number; new_servicer_userid?: string }): void {
  svc.fake.pushKfMessage({
    msgid: nextId('evt'),
    open_kfid: OPEN_KFID,
    send_time: nowSec(svc),
    origin: 4,
    msgtype: 'event',
    event: { event_type: 'session_status_change', open_kfid: OPEN_KFID, external_userid: externalUserId, ...change },
  });
}

/** The encrypted `kf_msg_or_event` callback WeCom posts when the kf account has news. */
function kfCallback(svc: TestService, syncToken = nextId('ENCsynctoken')) {
  const ts = nowSec(svc);
  const cb = encryptedCallback(
    VECTOR_CRYPTO,
    { ToUserName: VECTOR_CRYPTO.corpId, CreateTime: ts, MsgType: 'event', Event: 'kf_msg_or_event', Token: syncToken, OpenKfId: OPEN_KFID },
    ts,
  );
  return { ...cb, syncToken };
}

/** Posts a kf callback through the real HTTP endpoint and waits for the background pull it starts. */
async function notify(svc: TestService, cb = kfCallback(svc)) {
  const res = await postCallback(svc.baseUrl, cb);
  await svc.built.settled();
  return { ...res, syncToken: cb.syncToken };
}

/** Texts the bot actually delivered to one household through kf/send_msg. */
function repliesTo(svc: TestService, externalUserId: string): string[] {
  return svc.fake.kfSent
    .filter((m) => m.touser === externalUserId && m.open_kfid === OPEN_KFID)
    .map((m) => (m.text as { content: string } | undefined)?.content ?? `<${String(m.msgtype)}>`);
}

async function storedCursor(svc: TestService): Promise<string | undefined> {
  const doc = await svc.docs.collection<{ _id: string; cursor: string }>('kfCursors').get(OPEN_KFID);
  return doc?.cursor;
}

describe('微信客服 through the real callback endpoint', () => {
  it('a household writes 你好: empty 200 at once, pull with the event token, help text back, session taken by the bot', async () => {
    const svc = await startService();
    customerWrites(svc, 'wmHousehold01', '你好');
    expect(svc.fake.serviceState(OPEN_KFID, 'wmHousehold01').state).toBe(0);

    const res = await notify(svc);

    expect(res.status).toBe(200);
    expect(res.body).toBe('');
    expect(svc.fake.syncRequests).toEqual([{ open_kfid: OPEN_KFID, token: res.syncToken }]);
    expect(repliesTo(svc, 'wmHousehold01')).toEqual([HOUSEHOLD_HELP]);
    expect(svc.fake.kfSent[0]).toMatchObject({ touser: 'wmHousehold01', open_kfid: OPEN_KFID, msgtype: 'text' });
    expect(svc.fake.serviceState(OPEN_KFID, 'wmHousehold01').state).toBe(1);
  });

  it('a second message is pulled from the stored cursor and only the new message is answered', async () => {
    const svc = await startService();
    customerWrites(svc, 'wmHousehold01', '你好');
    await notify(svc);
    const cursorAfterFirst = await storedCursor(svc);
    // The fake's cursors are inbox indexes: after one message it hands out "1".
    expect(cursorAfterFirst).toBe('1');

    svc.clock.advance(60_000);
    customerWrites(svc, 'wmHousehold01', '我家里有人生病了');
    const second = await notify(svc);

    expect(svc.fake.syncRequests).toHaveLength(2);
    expect(svc.fake.syncRequests[1]).toEqual({ open_kfid: OPEN_KFID, token: second.syncToken, cursor: cursorAfterFirst });
    expect(repliesTo(svc, 'wmHousehold01')).toEqual([HOUSEHOLD_HELP, HOUSEHOLD_HELP]);
    expect(await storedCursor(svc)).toBe('2');
  });

  it('after a restart on the same stores old messages are not answered again and the stored cursor is used', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'fpfp-kf-restart-'));
    const state = testStateStore();
    const clock = new ManualClock(TEST_NOW);
    const fake = new FakeWeComState({ corpId: VECTOR_CRYPTO.corpId, secret: 'test-app-secret' });
    const firstDocs = await EmbeddedDocumentStore.open({ dir: dataDir });
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));

    const first = await startTestService({ state, docs: firstDocs, dataDir, fake, clock });
    fake.now = () => clock.now().getTime();
    customerWrites(first, 'wmHousehold01', '你好');
    customerWrites(first, 'wmHousehold02', '请问怎么申报');
    await notify(first);
    expect(fake.kfSent).toHaveLength(2);
    const cursorBefore = await storedCursor(first);
    await first.close({ keepStores: true });
    await firstDocs.close();

    // The process comes back an hour later: same Redis, same data directory, same WeCom.
    clock.advance(HOUR_MS);
    const docs = await EmbeddedDocumentStore.open({ dir: dataDir });
    const second = await startService({ state, docs, dataDir, fake, clock });
    customerWrites(second, 'wmHousehold03', '你好');
    await notify(second);

    expect(fake.syncRequests.at(-1)?.cursor).toBe(cursorBefore);
    expect(fake.kfSent).toHaveLength(3);
    expect(repliesTo(second, 'wmHousehold01')).toEqual([HOUSEHOLD_HELP]);
    expect(repliesTo(second, 'wmHousehold02')).toEqual([HOUSEHOLD_HELP]);
    expect(repliesTo(second, 'wmHousehold03')).toEqual([HOUSEHOLD_HELP]);
  });

  it('the same kf event delivered three times (WeCom retries) causes one pull and one answer', async () => {
    const svc = await startService();
    customerWrites(svc, 'wmHousehold01', '你好');
    const cb = kfCallback(svc);

    const answers = [await postCallback(svc.baseUrl, cb), await postCallback(svc.baseUrl, cb), await postCallback(svc.baseUrl, cb)];
    await svc.built.settled();

    expect(answers.map((a) => [a.status, a.body])).toEqual([[200, ''], [200, ''], [200, '']]);
    expect(svc.fake.syncRequests).toHaveLength(1);
    expect(repliesTo(svc, 'wmHousehold01')).toEqual([HOUSEHOLD_HELP]);
  });

  it('on a cold start without a cursor, messages older than start − 10 min are history and get no answer', async () => {
    const svc = await startService();
    const startSec = Math.floor(TEST_NOW.getTime() / 1000);
    customerWrites(svc, 'wmYesterday', '昨天的消息', startSec - 20 * 3600);
    customerWrites(svc, 'wmElevenMinutesAgo', '十一分钟前', startSec - 11 * 60);
    customerWrites(svc, 'wmFiveMinutesAgo', '五分钟前', startSec - 5 * 60);
    customerWrites(svc, 'wmJustNow', '刚刚', startSec);

    await notify(svc);

    expect(svc.fake.syncRequests[0]?.cursor).toBeUndefined();
    expect(repliesTo(svc, 'wmYesterday')).toEqual([]);
    expect(repliesTo(svc, 'wmElevenMinutesAgo')).toEqual([]);
    expect(repliesTo(svc, 'wmFiveMinutesAgo')).toEqual([HOUSEHOLD_HELP]);
    expect(repliesTo(svc, 'wmJustNow')).toEqual([HOUSEHOLD_HELP]);
    // The backlog is consumed: the cursor now points past all four.
    expect(await storedCursor(svc)).toBe('4');
  });

  it('two different kf events at the same time: both messages answered once each', async () => {
    const svc = await startService();
    customerWrites(svc, 'wmHousehold01', '你好');
    customerWrites(svc, 'wmHousehold02', '你好');
    const [a, b] = [kfCallback(svc), kfCallback(svc)];

    await Promise.all([postCallback(svc.baseUrl, a), postCallback(svc.baseUrl, b)]);
    await svc.built.settled();

    expect(repliesTo(svc, 'wmHousehold01')).toEqual([HOUSEHOLD_HELP]);
    expect(repliesTo(svc, 'wmHousehold02')).toEqual([HOUSEHOLD_HELP]);
  });

  it('an event that arrives just as a pull is finishing is not lost', async () => {
    // The running pull has checked for "pull again" and is about to release its lock when the next
    // callback comes in: that callback cannot take the lock, so the message must still be picked up.
    const started: { svc?: TestService } = {};
    let interleaved = false;
    const state = interceptingStore(testStateStore(), async (key) => {
      const other = started.svc;
      if (interleaved || !other || !key.startsWith('kf:pull-lock:')) return;
      interleaved = true;
      customerWrites(other, 'wmHousehold02', '我也想问一下');
      await other.built.kfPuller.pull(OPEN_KFID, 'ENCsecondtoken');
    });
    const svc = await startService({ state });
    started.svc = svc;
    customerWrites(svc, 'wmHousehold01', '你好');
    await notify(svc);

    expect(interleaved).toBe(true);
    expect(repliesTo(svc, 'wmHousehold01')).toEqual([HOUSEHOLD_HELP]);
    expect(repliesTo(svc, 'wmHousehold02')).toEqual([HOUSEHOLD_HELP]);
  });

  describe('human takeover', () => {
    it('after a servicer writes (origin 5) the bot stays quiet; after the session ends it answers again', async () => {
      const svc = await startService();
      const user = 'wmHousehold01';
      customerWrites(svc, user, '你好');
      await notify(svc);
      expect(repliesTo(svc, user)).toEqual([HOUSEHOLD_HELP]);

      // A village cadre picks the conversation up in the WeCom client.
      svc.fake.setServiceState(OPEN_KFID, user, 3, 'cunganbu01');
      servicerWrites(svc, user, 'cunganbu01', '您好，我是村干部小李，您说。');
      await notify(svc);
      customerWrites(svc, user, '我家房子被水淹了');
      await notify(svc);
      expect(repliesTo(svc, user)).toEqual([HOUSEHOLD_HELP]);

      // The cadre ends the session; the household writes again later.
      svc.fake.setServiceState(OPEN_KFID, user, 4);
      sessionStatusChange(svc, user, { change_type: 3 });
      await notify(svc);
      svc.clock.advance(HOUR_MS);
      customerWrites(svc, user, '你好，还想问一下');
      await notify(svc);

      expect(repliesTo(svc, user)).toEqual([HOUSEHOLD_HELP, HOUSEHOLD_HELP]);
      expect(svc.fake.serviceState(OPEN_KFID, user).state).toBe(1);
    });

    it('a session_status_change naming a new servicer silences the bot, in the same pull as the customer message', async () => {
      const svc = await startService();
      const user = 'wmHousehold02';
      customerWrites(svc, user, '你好');
      await notify(svc);

      svc.fake.setServiceState(OPEN_KFID, user, 3, 'cunganbu02');
      sessionStatusChange(svc, user, { change_type: 1, new_servicer_userid: 'cunganbu02' });
      customerWrites(svc, user, '能帮我查一下进度吗');
      await notify(svc);

      expect(repliesTo(svc, user)).toEqual([HOUSEHOLD_HELP]);
      // What the bot would send actively now is held, not pushed into the human's conversation.
      const address: Address = { channel: 'kf', openKfId: OPEN_KFID, externalUserId: user };
      expect(await svc.built.messenger.send(address, [{ type: 'text', text: '提醒' }])).toEqual([{ status: 'held', reason: 'kf_human_servicer' }]);
      expect(repliesTo(svc, user)).toEqual([HOUSEHOLD_HELP]);
    });

    it('when WeCom already has a human on the session (state 3), the bot never answers or changes the state', async () => {
      const svc = await startService();
      const user = 'wmHousehold03';
      svc.fake.setServiceState(OPEN_KFID, user, 3, 'cunganbu03');
      customerWrites(svc, user, '你好');
      await notify(svc);
      customerWrites(svc, user, '在吗');
      await notify(svc);

      expect(repliesTo(svc, user)).toEqual([]);
      expect(svc.fake.calls.filter((c) => c.api === 'kf/service_state/trans')).toEqual([]);
      expect(svc.fake.serviceState(OPEN_KFID, user)).toEqual({ state: 3, servicer: 'cunganbu03' });
    });
  });

  describe('reply window (48 h, at most 5 messages per customer message)', () => {
    it('the 6th message in one window is held; a new customer message re-opens the allowance; after 48 h nothing is sent', async () => {
      const svc = await startService();
      const user = 'wmHousehold01';
      const address: Address = { channel: 'kf', openKfId: OPEN_KFID, externalUserId: user };
      const texts = (...t: string[]) => t.map((text) => ({ type: 'text' as const, text }));

      customerWrites(svc, user, '你好');
      await notify(svc); // the help text is message 1 of 5

      const outcomes = await svc.built.messenger.send(address, texts('第2条', '第3条', '第4条', '第5条', '第6条'));
      expect(outcomes.map((o) => o.status)).toEqual(['sent', 'sent', 'sent', 'sent', 'held']);
      expect(outcomes[4]).toEqual({ status: 'held', reason: 'kf_window_closed' });
      expect(repliesTo(svc, user)).toEqual([HOUSEHOLD_HELP, '第2条', '第3条', '第4条', '第5条']);

      svc.clock.advance(HOUR_MS);
      customerWrites(svc, user, '收到了，谢谢');
      await notify(svc);
      const again = await svc.built.messenger.send(address, texts('A', 'B', 'C', 'D', 'E'));
      expect(again.map((o) => o.status)).toEqual(['sent', 'sent', 'sent', 'sent', 'held']);
      expect(repliesTo(svc, user)).toHaveLength(10);

      // 48 h after the customer's last message the window is shut, whatever the allowance.
      svc.clock.advance(48 * HOUR_MS + 60_000);
      const sentBefore = svc.fake.kfSent.length;
      expect(await svc.built.messenger.send(address, texts('迟到的提醒'))).toEqual([{ status: 'held', reason: 'kf_window_closed' }]);
      expect(svc.fake.kfSent).toHaveLength(sentBefore);
    });

    it('a turn that produces 6 messages delivers 5', async () => {
      const six: ChatHandler = {
        onText: async () => ({ replies: ['一', '二', '三', '四', '五', '六'].map((text) => ({ type: 'text' as const, text })) }),
        onUnsupported: async () => ({ replies: [] }),
        onCardClick: async () => ({ replies: [] }),
      };
      const svc = await startService({ handler: six });
      customerWrites(svc, 'wmHousehold01', '你好');
      await notify(svc);

      expect(repliesTo(svc, 'wmHousehold01')).toEqual(['一', '二', '三', '四', '五']);
    });

    it('a message pulled more than 48 h after it was written opens no window', async () => {
      const svc = await startService();
      const user = 'wmHousehold01';
      customerWrites(svc, user, '你好');
      await notify(svc); // stores a cursor, so later pulls are not cold starts
      customerWrites(svc, user, '有人吗');
      svc.clock.advance(49 * HOUR_MS);
      await notify(svc);

      expect(repliesTo(svc, user)).toEqual([HOUSEHOLD_HELP]);
    });
  });

  describe('sync_msg failures', () => {
    it('a rejected sync_msg does not advance the cursor; the next event picks the message up', async () => {
      const svc = await startService();
      const user = 'wmHousehold01';
      customerWrites(svc, user, '你好');
      await notify(svc);
      const cursor = await storedCursor(svc);

      customerWrites(svc, user, '第二个问题');
      // 95007: WeCom's "invalid msg token"; not a token/busy code, so the client does not retry it.
      svc.fake.failNext('kf/sync_msg', 95007);
      const failed = await notify(svc);
      expect(failed.status).toBe(200);
      expect(repliesTo(svc, user)).toEqual([HOUSEHOLD_HELP]);
      expect(await storedCursor(svc)).toBe(cursor);

      await notify(svc);
      expect(svc.fake.syncRequests.at(-1)?.cursor).toBe(cursor);
      expect(repliesTo(svc, user)).toEqual([HOUSEHOLD_HELP, HOUSEHOLD_HELP]);
    });

    it('a reply WeCom refuses is not lost: the outbox sends it again, once, and the other household is not held up', async () => {
      const svc = await startService();
      const user = 'wmHousehold01';
      customerWrites(svc, user, '你好');
      customerWrites(svc, 'wmHousehold02', '在吗');
      svc.fake.failNext('kf/send_msg', 95018);
      await notify(svc);
      // The cursor moves on: the answer is recorded in the outbox, not in the kf inbox.
      expect(await storedCursor(svc)).toBe('2');
      expect([...repliesTo(svc, user), ...repliesTo(svc, 'wmHousehold02')]).toEqual([HOUSEHOLD_HELP]);

      // The retry is due 2 s later, on the service's clock.
      svc.clock.advance(3_000);
      await vi.waitFor(() => expect(repliesTo(svc, user)).toEqual([HOUSEHOLD_HELP]), { timeout: 8_000, interval: 100 });
      expect(repliesTo(svc, 'wmHousehold02')).toEqual([HOUSEHOLD_HELP]);
      expect((await svc.built.outboxStore.find({ status: 'sent' })).map((r) => r.attempts).sort()).toEqual([1, 2]);
    });

    it('dropped connections on every retry leave the cursor alone; the next event picks the message up', async () => {
      const svc = await startService();
      const user = 'wmHousehold01';
      customerWrites(svc, user, '你好');
      svc.fake.dropConnectionsNext('kf/sync_msg', 3); // all attempts of one call
      await notify(svc);

      expect(repliesTo(svc, user)).toEqual([]);
      expect(await storedCursor(svc)).toBeUndefined();
      expect(svc.logs.join('')).toContain('background task failed');

      await notify(svc);
      expect(repliesTo(svc, user)).toEqual([HOUSEHOLD_HELP]);
      expect(await storedCursor(svc)).toBe('1');
    });
  });
});

/** A StateStore that runs `beforeRelease` just before a compare-and-delete (the pull lock's release). */
function interceptingStore(inner: StateStore, beforeRelease: (key: string) => Promise<void>): StateStore {
  return {
    get: (key) => inner.get(key),
    set: (key, value, ttlMs) => inner.set(key, value, ttlMs),
    setIfAbsent: (key, value, ttlMs) => inner.setIfAbsent(key, value, ttlMs),
    delete: (key) => inner.delete(key),
    deleteIfEquals: async (key, expected) => {
      await beforeRelease(key);
      return inner.deleteIfEquals(key, expected);
    },
    extendIfEquals: (key, expected, ttlMs) => inner.extendIfEquals(key, expected, ttlMs),
    increment: (key, ttlMs) => inner.increment(key, ttlMs),
    ttl: (key) => inner.ttl(key),
    keys: (prefix) => inner.keys(prefix),
    ping: () => inner.ping(),
    close: () => inner.close(),
  };
}
