import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ChatHandler } from '../../src/channel/messages.js';
import { ManualClock } from '../../src/shared/clock.js';
import { MemoryStateStore } from '../../src/stores/state-store.memory.js';
import { seal } from '../../src/wecom/crypto.js';
import { buildWeComXml } from '../../src/wecom/xml.js';
import { encryptedCallback, openReply, postCallback, textMessage } from '../helpers/callbacks.js';
import { startTestService, TEST_NOW, type TestService } from '../helpers/test-app.js';
import { VECTOR_CRYPTO as cfg } from '../helpers/vectors.js';

const nowSec = Math.floor(TEST_NOW.getTime() / 1000);

describe('the WeCom callback endpoint, over real HTTP with real encryption', () => {
  let svc: TestService;
  beforeEach(async () => {
    svc = await startTestService();
  });
  afterEach(async () => {
    await svc.close();
  });

  it('answers a cadre\'s text with an encrypted passive reply', async () => {
    const res = await postCallback(svc.baseUrl, encryptedCallback(cfg, textMessage('wangcadre', '你好', '7001', nowSec), nowSec));
    expect(res.status).toBe(200);
    const reply = openReply(cfg, res.body);
    expect(reply).toMatchObject({ ToUserName: 'wangcadre', FromUserName: cfg.corpId, MsgType: 'text' });
    expect(String(reply.Content)).toContain('王建国您好');
  });

  it('tells a WeCom member who is not on the roster whom to contact', async () => {
    const res = await postCallback(svc.baseUrl, encryptedCallback(cfg, textMessage('stranger', '在吗', '7002', nowSec), nowSec));
    expect(String(openReply(cfg, res.body).Content)).toContain('示范县乡村振兴局（电话 0730-1234567）');
  });

  it('keeps numeric-looking text as text ("007" stays "007")', async () => {
    let seen = '';
    await svc.close();
    svc = await startTestService({
      handler: {
        onText: async (input) => {
          seen = input.text;
          return { replies: [] };
        },
        onUnsupported: async () => ({ replies: [] }),
        onCardClick: async () => ({ replies: [] }),
      },
    });
    await postCallback(svc.baseUrl, encryptedCallback(cfg, textMessage('wangcadre', '007', '7003', nowSec), nowSec));
    expect(seen).toBe('007');
  });

  it('handles a message delivered three times at once only once, and answers it once', async () => {
    const cb = encryptedCallback(cfg, textMessage('wangcadre', '我的待办', '7004', nowSec), nowSec);
    const [a, b, c] = await Promise.all([postCallback(svc.baseUrl, cb), postCallback(svc.baseUrl, cb), postCallback(svc.baseUrl, cb)]);
    expect([a.status, b.status, c.status]).toEqual([200, 200, 200]);
    expect([a, b, c].filter((r) => r.body !== '')).toHaveLength(1);
    // A later retry (WeCom re-sends after a slow answer) is dropped as well.
    expect((await postCallback(svc.baseUrl, cb)).body).toBe('');
    await svc.built.settled();
    expect(svc.fake.appMessages).toEqual([]);
  });

  it('a staff member flooding the app is answered up to the limit, told once to slow down, and the rest is not handled', async () => {
    let turns = 0;
    await svc.close();
    svc = await startTestService({ handler: countingHandler(() => turns++), env: { SENDER_MESSAGES_PER_MINUTE: '5' } });
    const bodies: string[] = [];
    for (let i = 0; i < 12; i++) bodies.push((await postCallback(svc.baseUrl, encryptedCallback(cfg, textMessage('wangcadre', `第${i}条`, `77${i}`, nowSec), nowSec))).body);
    await svc.built.settled();
    expect(turns).toBe(5);
    expect(bodies.filter((b) => b !== '')).toHaveLength(5);
    expect(svc.fake.appMessages.map((m) => (m.text as { content: string }).content)).toEqual([expect.stringContaining('发得太快')]);
    // Another staff member is not affected.
    expect((await postCallback(svc.baseUrl, encryptedCallback(cfg, textMessage('zhoucadre', '你好', '7799', nowSec), nowSec))).body).not.toBe('');
  });

  it('a counting handler sees a message delivered again after it was answered only once', async () => {
    let turns = 0;
    await svc.close();
    svc = await startTestService({ handler: countingHandler(() => turns++) });
    const cb = encryptedCallback(cfg, textMessage('wangcadre', '帮助', '7014', nowSec), nowSec);
    expect((await postCallback(svc.baseUrl, cb)).body).not.toBe('');
    expect((await postCallback(svc.baseUrl, cb)).body).toBe('');
    expect(turns).toBe(1);
  });

  it('acknowledges empty within the budget and sends a slow answer actively', async () => {
    await svc.close();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    svc = await startTestService({
      env: { CALLBACK_REPLY_BUDGET_MS: '50' },
      handler: {
        onText: async () => {
          await gate;
          return { replies: [{ type: 'text', text: '核实结果已记录' }] };
        },
        onUnsupported: async () => ({ replies: [] }),
        onCardClick: async () => ({ replies: [] }),
      },
    });
    const res = await postCallback(svc.baseUrl, encryptedCallback(cfg, textMessage('wangcadre', '提交', '7005', nowSec), nowSec));
    expect(res).toEqual({ status: 200, body: '' });
    release();
    await svc.built.settled();
    expect(svc.fake.appMessages).toMatchObject([{ touser: 'wangcadre', msgtype: 'text', text: { content: '核实结果已记录' } }]);
  });

  it('a turn that fails is answered: the sender is asked to send the message again, and nothing leaks', async () => {
    await svc.close();
    svc = await startTestService({
      handler: {
        onText: async () => {
          throw new Error('database down');
        },
        onUnsupported: async () => ({ replies: [] }),
        onCardClick: async () => ({ replies: [] }),
      },
    });
    const cb = encryptedCallback(cfg, textMessage('wangcadre', '你好', '7006', nowSec), nowSec);
    const first = await postCallback(svc.baseUrl, cb);
    expect(first).toEqual({ status: 200, body: '' });
    await svc.built.settled();
    expect(svc.fake.appMessages).toMatchObject([{ touser: 'wangcadre', text: { content: expect.stringContaining('请稍后再发一次') } }]);
    expect(first.body).not.toContain('database down');
  });

  it('answers URL verification with the bare echostr, with or without a trailing slash', async () => {
    const s = seal(cfg, '1616140317555161061', nowSec);
    for (const path of ['/wecom/callback', '/wecom/callback/']) {
      const q = new URLSearchParams({ msg_signature: s.signature, timestamp: s.timestamp, nonce: s.nonce, echostr: s.encrypt });
      const res = await fetch(`${svc.baseUrl}${path}?${q}`);
      expect(res.status).toBe(200);
      expect(await res.text()).toBe('1616140317555161061');
    }
    const bad = new URLSearchParams({ msg_signature: '0'.repeat(40), timestamp: s.timestamp, nonce: s.nonce, echostr: s.encrypt });
    expect((await fetch(`${svc.baseUrl}/wecom/callback?${bad}`)).status).toBe(401);
  });

  describe('URL verification answers only a verification echo (it is no decryption oracle)', () => {
    const verifyQuery = (s: { signature: string; timestamp: string; nonce: string }, echostr: string) =>
      new URLSearchParams({ msg_signature: s.signature, timestamp: s.timestamp, nonce: s.nonce, echostr });

    it('refuses a captured POST\'s Encrypt replayed as echostr, and neither answers nor logs its plaintext', async () => {
      const reason = '老伴尿毒症每周透析430621199001011234';
      const sealed = seal(cfg, buildWeComXml(textMessage('wangcadre', reason, '7101', nowSec)), nowSec);
      const post = await postCallback(svc.baseUrl, {
        query: new URLSearchParams({ msg_signature: sealed.signature, timestamp: sealed.timestamp, nonce: sealed.nonce }).toString(),
        body: `<xml><Encrypt><![CDATA[${sealed.encrypt}]]></Encrypt></xml>`,
      });
      expect(post.status).toBe(200);

      const logsBefore = svc.logs.length;
      const res = await fetch(`${svc.baseUrl}/wecom/callback?${verifyQuery(sealed, sealed.encrypt)}`);
      const body = await res.text();
      expect(res.status).toBe(400);
      for (const leak of ['尿毒症', '430621199001011234', 'wangcadre', '<xml>', 'CDATA']) {
        expect(body).not.toContain(leak);
        expect(svc.logs.slice(logsBefore).join('\n')).not.toContain(leak);
      }
      const refusals = svc.logs.slice(logsBefore).filter((l) => /refused/.test(l));
      expect(refusals).toHaveLength(1);
      expect(refusals[0]).toContain('not_a_verification_echo');
    });

    it('refuses an echostr whose plaintext is too long to be a verification echo', async () => {
      const s = seal(cfg, '7'.repeat(129), nowSec);
      const res = await fetch(`${svc.baseUrl}/wecom/callback?${verifyQuery(s, s.encrypt)}`);
      expect(res.status).toBe(400);
      expect(await res.text()).not.toContain('7777');
    });

    it('refuses a verification whose timestamp is outside the replay window, past or future', async () => {
      for (const at of [nowSec - 3600, nowSec + 3600]) {
        const s = seal(cfg, '1616140317555161061', at);
        const logsBefore = svc.logs.length;
        const res = await fetch(`${svc.baseUrl}/wecom/callback?${verifyQuery(s, s.encrypt)}`);
        expect(res.status).toBe(401);
        expect(await res.text()).not.toContain('1616140317555161061');
        expect(svc.logs.slice(logsBefore).join('\n')).toContain('stale_timestamp');
      }
    });
  });

  describe('refuses bad callbacks and leaves no state behind', () => {
    const good = () => encryptedCallback(cfg, textMessage('wangcadre', '你好', '8001', nowSec), nowSec);
    const cases: [string, () => { query: string; body: string }, number][] = [
      ['a bad signature', () => {
        const cb = good();
        const q = new URLSearchParams(cb.query);
        q.set('msg_signature', 'f'.repeat(40));
        return { query: q.toString(), body: cb.body };
      }, 401],
      ['a missing signature', () => {
        const q = new URLSearchParams(good().query);
        q.delete('msg_signature');
        return { query: q.toString(), body: good().body };
      }, 401],
      ['a wrong corp id', () => encryptedCallback({ ...cfg, corpId: 'wwanothercorp' }, textMessage('wangcadre', '你好', '8002', nowSec), nowSec), 401],
      ['a stale timestamp', () => encryptedCallback(cfg, textMessage('wangcadre', '你好', '8003', nowSec - 3600), nowSec - 3600), 401],
      ['a timestamp from the future', () => encryptedCallback(cfg, textMessage('wangcadre', '你好', '8004', nowSec), nowSec + 3600), 401],
      ['an oversized body', () => ({ query: good().query, body: `<xml><Encrypt><![CDATA[${'A'.repeat(70_000)}]]></Encrypt></xml>` }), 413],
      ['malformed XML', () => ({ query: good().query, body: '<xml><Encrypt><![CDATA[abc]]></Encrypt>' }), 400],
      ['an entity declaration', () => ({ query: good().query, body: '<!DOCTYPE xml [<!ENTITY a "aaaa">]><xml><Encrypt>&a;</Encrypt></xml>' }), 400],
      ['a valid envelope around a message without required fields', () => {
        const inner = buildWeComXml({ ToUserName: cfg.corpId, MsgType: 'text', Content: 'x' });
        const s = seal(cfg, inner, nowSec);
        return {
          query: new URLSearchParams({ msg_signature: s.signature, timestamp: s.timestamp, nonce: s.nonce }).toString(),
          body: `<xml><Encrypt><![CDATA[${s.encrypt}]]></Encrypt></xml>`,
        };
      }, 400],
    ];
    for (const [name, make, status] of cases) {
      it(`${name} → ${status}`, async () => {
        const before = await svc.state.keys('');
        const logsBefore = svc.logs.length;
        const res = await postCallback(svc.baseUrl, make());
        expect(res.status).toBe(status);
        expect(res.body).not.toMatch(/at .+\.(ts|js):\d+/); // no stack trace
        expect(await svc.state.keys('')).toEqual(before);
        expect(svc.fake.appMessages).toHaveLength(0);
        const refusals = svc.logs.slice(logsBefore).filter((l) => /refused/.test(l));
        expect(refusals).toHaveLength(1);
      });
    }
  });

  it('never logs what people wrote', async () => {
    const secretish = '我的身份证号430621199001011234';
    await postCallback(svc.baseUrl, encryptedCallback(cfg, textMessage('wangcadre', secretish, '7007', nowSec), nowSec));
    expect(svc.logs.join('\n')).not.toContain('430621199001011234');
    expect(svc.logs.join('\n')).not.toContain(svc.config.wecom.secret);
  });
});

describe('replays of a callback stamped ahead of our clock', () => {
  // The dedupe marks must expire on the test's clock, so the state store here follows it (Redis keeps real time).
  async function serviceOnOneClock(env: Record<string, string> = {}) {
    let turns = 0;
    const clock = new ManualClock(TEST_NOW);
    const svc = await startTestService({ env, clock, state: new MemoryStateStore({ now: () => clock.now().getTime() }), handler: countingHandler(() => turns++) });
    return { svc, turns: () => turns };
  }

  it('handles a callback stamped now+590 s once, also when it comes again 615 s later', async () => {
    const { svc, turns } = await serviceOnOneClock();
    try {
      const ahead = nowSec + 590;
      const cb = encryptedCallback(cfg, textMessage('wangcadre', '帮助', '7201', ahead), ahead);
      expect((await postCallback(svc.baseUrl, cb)).status).toBe(200);
      svc.clock.advance(615_000);
      const again = await postCallback(svc.baseUrl, cb);
      expect(again).toEqual({ status: 200, body: '' });
      expect(turns()).toBe(1);
    } finally {
      await svc.close();
    }
  });

  it('keeps the claim as long as the configured window allows a replay (CALLBACK_MAX_AGE_SECONDS=3600)', async () => {
    const { svc, turns } = await serviceOnOneClock({ CALLBACK_MAX_AGE_SECONDS: '3600' });
    try {
      const ahead = nowSec + 3590;
      const cb = encryptedCallback(cfg, textMessage('wangcadre', '帮助', '7202', ahead), ahead);
      await postCallback(svc.baseUrl, cb);
      svc.clock.advance(7150_000);
      expect(await postCallback(svc.baseUrl, cb)).toEqual({ status: 200, body: '' });
      expect(turns()).toBe(1);
    } finally {
      await svc.close();
    }
  });
});

function countingHandler(count: () => void): ChatHandler {
  return {
    onText: async () => {
      count();
      return { replies: [{ type: 'text', text: '收到' }] };
    },
    onUnsupported: async () => ({ replies: [] }),
    onCardClick: async () => ({ replies: [] }),
  };
}

describe('card clicks', () => {
  it('are acknowledged empty and answered actively (WeCom takes no passive text for them)', async () => {
    const svc = await startTestService();
    try {
      const click = {
        ToUserName: cfg.corpId, FromUserName: 'lisecretary', CreateTime: nowSec, MsgType: 'event', Event: 'template_card_event',
        EventKey: 'agree:task1', TaskId: 'task1', CardType: 'button_interaction', ResponseCode: 'rc1', AgentID: 1000002,
      };
      const res = await postCallback(svc.baseUrl, encryptedCallback(cfg, click, nowSec));
      expect(res).toEqual({ status: 200, body: '' });
      await svc.built.settled();
      expect(svc.fake.appMessages).toMatchObject([{ touser: 'lisecretary', msgtype: 'text' }]);
      expect(String((svc.fake.appMessages[0]?.text as { content: string }).content)).toContain('已经处理或已失效');
    } finally {
      await svc.close();
    }
  });
});
