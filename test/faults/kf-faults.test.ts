import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CaseRecord } from '../../src/cases/case-record.js';
import { flowSlot } from '../../src/conversation/person-state.js';
import { ConversationStore } from '../../src/conversation/conversation-store.js';
import { createVault, parseDataKey } from '../../src/privacy/vault.js';
import type { KfMessage } from '../../src/wecom/api.js';
import { encryptedCallback, postCallback } from '../helpers/callbacks.js';
import { householdSays, kfTextsTo, OPEN_KFID } from '../helpers/staff-chat.js';
import { captureLogs, startTestService, TEST_DATA_KEY, type TestService } from '../helpers/test-app.js';
import { VECTOR_CRYPTO } from '../helpers/vectors.js';

const ID = '430621195805121238';
const DECLARATION = ['申报', '张德福', ID, '13812345678', '1', '1', '1', '3', '1', '6', '老伴生病住院，每月自付两千多元。', '说完了', '是', '是', '1'];

let svc: TestService | undefined;
afterEach(async () => {
  await svc?.close();
  svc = undefined;
});

let seq = 0;
const nowSec = (s: TestService) => Math.floor(s.clock.now().getTime() / 1000);

/** Messages land in the kf inbox first; one callback then tells the service there is news (one pull, one batch). */
function inbox(s: TestService, externalUserId: string, content: string): KfMessage {
  const message: KfMessage = { msgid: `fault${++seq}`, open_kfid: OPEN_KFID, external_userid: externalUserId, send_time: nowSec(s), origin: 3, msgtype: 'text', text: { content } };
  s.fake.pushKfMessage(message);
  return message;
}

async function news(s: TestService): Promise<void> {
  const ts = nowSec(s);
  await postCallback(s.baseUrl, encryptedCallback(VECTOR_CRYPTO, { ToUserName: VECTOR_CRYPTO.corpId, CreateTime: ts, MsgType: 'event', Event: 'kf_msg_or_event', Token: `ENCfault${++seq}`, OpenKfId: OPEN_KFID }, ts));
  await s.built.settled();
}

async function storedCursor(s: TestService): Promise<string | undefined> {
  return (await s.docs.collection<{ _id: string; cursor: string }>('kfCursors').get(OPEN_KFID))?.cursor;
}

describe('微信客服 under faults', () => {
  it('a message that keeps failing is set aside after 3 tries: the household is told, the admin alerted, the cursor moves on, others are answered', async () => {
    svc = await startTestService();
    for (const text of DECLARATION) await householdSays(svc, 'wmHousehold01', text);
    // The household's stored case is damaged (a bad hand edit): every 进度 it asks for fails for real.
    const cases = svc.docs.collection<CaseRecord>('cases');
    const [stored] = await cases.find({});
    await cases.put({ ...stored!, procedure: { ...stored!.procedure, stage: 'nonsense' as never } });

    inbox(svc, 'wmHousehold01', '进度');
    inbox(svc, 'wmHousehold02', '你好');
    const before = svc.fake.kfSent.length;
    await news(svc);

    expect(kfTextsTo(svc, 'wmHousehold02', before)).toEqual([expect.stringContaining('防止返贫监测帮扶服务')]);
    expect(kfTextsTo(svc, 'wmHousehold01', before)).toEqual([expect.stringContaining('多次处理都没有成功')]);
    const alerts = svc.fake.appMessages.filter((m) => m.touser === 'admin');
    expect(alerts).toMatchObject([{ text: { content: expect.stringContaining('已暂时搁置') } }]);
    expect(String((alerts[0]!.text as { content: string }).content)).not.toContain('进度');
    expect(await svc.docs.collection('kfSetAside').count({})).toBe(1);
    expect(await storedCursor(svc)).toBe((DECLARATION.length + 2).toString(36));

    // The account is not wedged: the same household's next message is answered.
    const next = await householdSays(svc, 'wmHousehold01', '你好');
    expect(next).toEqual([expect.stringContaining('防止返贫监测帮扶服务')]);
  });

  it('a reply that cannot be sent is not replayed into the next question: the answer is kept once, the reply goes out later, once', async () => {
    svc = await startTestService();
    for (const text of DECLARATION.slice(0, 3)) await householdSays(svc, 'wmHousehold01', text);
    // Every attempt of the next send is refused at the connection.
    svc.fake.dropConnectionsNext('kf/send_msg', 3);
    const sent = await householdSays(svc, 'wmHousehold01', '13812345678');
    expect(sent).toEqual([]);
    // More news arrives (WeCom's next event): the phone answer is not handled again as the township.
    await news(svc);
    const store = new ConversationStore({ state: svc.state, docs: svc.docs, vault: createVault(parseDataKey(TEST_DATA_KEY)), retainMs: 60_000, logger: captureLogs().logger });
    const { state } = await store.load(`kf:${OPEN_KFID}:wmHousehold01`);
    const engine = flowSlot(state, 'declaration')!.engine;
    expect(engine.stepId).toBe('ask_township');
    expect(engine.answers).toMatchObject({ householdHead: '张德福', idNumber: ID, phone: '13812345678' });
    expect(engine.answers.township).toBeUndefined();

    // The outbox tries again: the household gets the reply it missed, once.
    svc.clock.advance(3_000);
    await vi.waitFor(() => expect(kfTextsTo(svc!, 'wmHousehold01').filter((t) => t.includes('138****5678'))).toHaveLength(1), { timeout: 8_000, interval: 100 });
    const answer = await householdSays(svc, 'wmHousehold01', '1');
    expect(answer.join('\n')).toContain('请选择您家所在的村');
    expect(kfTextsTo(svc, 'wmHousehold01').filter((t) => t.includes('138****5678'))).toHaveLength(1);
  });

  it('one household flooding the account is told once to slow down and never holds up another household', async () => {
    svc = await startTestService();
    const before = svc.fake.kfSent.length;
    for (let i = 0; i < 200; i++) inbox(svc, 'wmFlooder', `你好${i}`);
    inbox(svc, 'wmHousehold02', '你好');
    await news(svc);
    // 20 answered (the limit), then one notice; the other 180 were counted and not handled. (What reaches the
    // flooder is further capped by 微信客服's own allowance of 5 messages per customer message.)
    const recorded = await svc.built.outboxStore.find({ recipient: `kf:${OPEN_KFID}:wmFlooder` });
    expect(recorded.filter((r) => r._id.startsWith('reply:'))).toHaveLength(20);
    expect(recorded.filter((r) => r._id.startsWith('slowdown:'))).toHaveLength(1);
    expect(kfTextsTo(svc, 'wmHousehold02', before)).toEqual([expect.stringContaining('防止返贫监测帮扶服务')]);
    // The other household's answer went out among the first few, not after the flood.
    const order = svc.fake.kfSent.slice(before).map((m) => m.touser);
    expect(order.indexOf('wmHousehold02')).toBeLessThan(10);
  });
});
