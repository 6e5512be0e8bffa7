import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KfSessions } from '../../src/channel/kf-session.js';
import type { Address, Outbound } from '../../src/channel/messages.js';
import { Messenger } from '../../src/channel/messenger.js';
import { MAX_TEXT_BYTES } from '../../src/channel/text-limits.js';
import { createLogger } from '../../src/shared/logger.js';
import { startFakeWeComApi } from '../../src/simulator/fake-wecom-api.js';
import type { FakeWeComState } from '../../src/simulator/fake-wecom-state.js';
import { MemoryStateStore } from '../../src/stores/state-store.memory.js';
import { WeComHttpApi } from '../../src/wecom/api-client.js';

const CORP_ID = 'ww-messenger-corp';
const SECRET = 'messenger-test-secret';
const OPEN_KFID = 'wkFpfpHelpDesk01';
const HOUSEHOLD = 'wmHousehold01';
const STAFF = 'zhangsan';
const NOW = new Date('2026-11-22T08:00:00Z').getTime();

const kf: Address = { channel: 'kf', openKfId: OPEN_KFID, externalUserId: HOUSEHOLD };
const app: Address = { channel: 'app', userId: STAFF };

let fake: Awaited<ReturnType<typeof startFakeWeComApi>>;
let wecom: FakeWeComState;
let sessions: KfSessions;
let messenger: Messenger;

beforeEach(async () => {
  fake = await startFakeWeComApi({ corpId: CORP_ID, secret: SECRET });
  wecom = fake.state;
  const store = new MemoryStateStore();
  const logger = createLogger('silent');
  const api = new WeComHttpApi({ baseUrl: fake.baseUrl, corpId: CORP_ID, agentId: 1000002, secret: SECRET, store, logger, retry: { attempts: 3, baseDelayMs: 1 } });
  sessions = new KfSessions(store, () => NOW);
  messenger = new Messenger({ api, kfSessions: sessions, logger });
  // The household has just written: the kf reply window is open.
  await sessions.customerWrote(OPEN_KFID, HOUSEHOLD, new Date(NOW));
});

afterEach(async () => {
  await fake.close();
});

const kfTexts = () => wecom.kfSent.map((m) => (m.text as { content: string }).content);
const appTexts = () => wecom.appMessages.map((m) => (m.text as { content: string }).content);
const bytes = (s: string) => Buffer.byteLength(s, 'utf8');

/** About 4.5 kB of Chinese without a single line break. */
const LONG_PARAGRAPH = '因病因灾因意外导致基本生活出现严重困难的农户，可以向村委会申报，村里会在三个工作日内上门核实情况。'.repeat(30);
/** About 6 kB of Chinese in numbered lines, as a policy notice would be. */
const LONG_NOTICE = Array.from({ length: 40 }, (_, i) => `${i + 1}. 第${i + 1}项帮扶政策：符合条件的监测对象可享受医疗救助、临时救助和就业帮扶。`).join('\n');

describe('Messenger over HTTP against the fake WeCom API', () => {
  describe('long texts', () => {
    it('a long Chinese paragraph to a household is split into kf messages of at most 2048 bytes, nothing lost', async () => {
      expect(bytes(LONG_PARAGRAPH)).toBeGreaterThan(2 * MAX_TEXT_BYTES);

      const outcomes = await messenger.send(kf, [{ type: 'text', text: LONG_PARAGRAPH }]);

      expect(outcomes.every((o) => o.status === 'sent')).toBe(true);
      const parts = kfTexts();
      expect(parts.length).toBeGreaterThanOrEqual(3);
      for (const part of parts) expect(bytes(part)).toBeLessThanOrEqual(MAX_TEXT_BYTES);
      expect(parts.join('')).toBe(LONG_PARAGRAPH);
      expect(wecom.kfSent.every((m) => m.touser === HOUSEHOLD && m.open_kfid === OPEN_KFID && m.msgtype === 'text')).toBe(true);
      // Each part carries its own msgid (retries of one part are refused by WeCom, not duplicated).
      expect(new Set(wecom.kfSent.map((m) => m.msgid)).size).toBe(parts.length);
    });

    it('a long notice to staff is split at line breaks, each part ≤ 2048 bytes, and the lines come back whole', async () => {
      expect(bytes(LONG_NOTICE)).toBeGreaterThan(2 * MAX_TEXT_BYTES);

      await messenger.send(app, [{ type: 'text', text: LONG_NOTICE }]);

      const parts = appTexts();
      expect(parts.length).toBeGreaterThanOrEqual(3);
      for (const part of parts) expect(bytes(part)).toBeLessThanOrEqual(MAX_TEXT_BYTES);
      // Only the line breaks at the cuts are dropped.
      expect(parts.join('\n')).toBe(LONG_NOTICE);
      for (const part of parts) expect(part).toMatch(/^\d+\. 第\d+项帮扶政策/);
      expect(wecom.appMessages.every((m) => m.touser === STAFF && m.agentid === 1000002)).toBe(true);
    });

    // KNOWN BUG (src/channel/text-limits.ts, not ours to change here): when a cut falls back to an early
    // line break, the carried-over remainder plus the next character can exceed the limit, and that
    // chunk is sent as is (2049 bytes here). Remove `.fails` once splitText is fixed.
    it('a text whose only line break is near the start still yields parts of at most 2048 bytes', async () => {
      // 'A' + line break + 682 × 3-byte characters = exactly 2048 bytes before the next character.
      const text = `A\n${'贫'.repeat(682)}${'困难'.repeat(10)}`;

      await messenger.send(app, [{ type: 'text', text }]);

      for (const part of appTexts()) expect(bytes(part)).toBeLessThanOrEqual(MAX_TEXT_BYTES);
    });
  });

  describe('choices', () => {
    const townChoice: Outbound = {
      type: 'choices',
      text: '请选择您所在的乡镇：',
      choices: [
        { id: 'town_qingshan', label: '青山镇' },
        { id: 'town_lvshui', label: '绿水镇' },
        { id: 'town_taohua', label: '桃花乡' },
      ],
      tail: '也可以直接留言。',
    };

    it('go to a household as a kf menu with one numbered click item per choice (the prompt asks for the number)', async () => {
      await messenger.send(kf, [townChoice]);

      expect(wecom.kfSent).toHaveLength(1);
      expect(wecom.kfSent[0]).toMatchObject({
        touser: HOUSEHOLD,
        open_kfid: OPEN_KFID,
        msgtype: 'msgmenu',
        msgmenu: {
          head_content: '请选择您所在的乡镇：',
          list: [
            { type: 'click', click: { id: 'town_qingshan', content: '1. 青山镇' } },
            { type: 'click', click: { id: 'town_lvshui', content: '2. 绿水镇' } },
            { type: 'click', click: { id: 'town_taohua', content: '3. 桃花乡' } },
          ],
          tail_content: '也可以直接留言。',
        },
      });
    });

    it('go to staff on the app as a numbered text list', async () => {
      await messenger.send(app, [townChoice]);

      expect(wecom.appMessages).toHaveLength(1);
      expect(wecom.appMessages[0]).toMatchObject({ touser: STAFF, msgtype: 'text' });
      expect(appTexts()).toEqual(['请选择您所在的乡镇：\n1. 青山镇\n2. 绿水镇\n3. 桃花乡\n也可以直接留言。']);
    });

    it('more than 10 choices to a household fall back to a numbered text (a kf menu holds at most 10 items)', async () => {
      const villages = Array.from({ length: 12 }, (_, i) => ({ id: `v${i + 1}`, label: `第${i + 1}村民小组` }));

      const outcomes = await messenger.send(kf, [{ type: 'choices', text: '请选择村民小组：', choices: villages }]);

      expect(outcomes).toEqual([expect.objectContaining({ status: 'sent' })]);
      expect(wecom.kfSent).toHaveLength(1);
      expect(wecom.kfSent[0]).toMatchObject({ msgtype: 'text', touser: HOUSEHOLD });
      const lines = kfTexts()[0]!.split('\n');
      expect(lines[0]).toBe('请选择村民小组：');
      expect(lines.slice(1)).toEqual(villages.map((v, i) => `${i + 1}. ${v.label}`));
    });

    it('a menu of one item (说完了) is not numbered', async () => {
      await messenger.send(kf, [{ type: 'choices', text: '已记下。', choices: [{ id: 'done', label: '说完了' }] }]);
      expect((wecom.kfSent[0]!.msgmenu as { list: unknown[] }).list).toEqual([{ type: 'click', click: { id: 'done', content: '说完了' } }]);
    });

    it('exactly 10 choices still make a kf menu', async () => {
      const ten = Array.from({ length: 10 }, (_, i) => ({ id: `c${i}`, label: `选项${i + 1}` }));
      await messenger.send(kf, [{ type: 'choices', text: '请选择：', choices: ten }]);
      expect(wecom.kfSent[0]).toMatchObject({ msgtype: 'msgmenu' });
      expect((wecom.kfSent[0]!.msgmenu as { list: unknown[] }).list).toHaveLength(10);
    });
  });

  describe('kf rules', () => {
    it('nothing goes to a household whose reply window was never opened', async () => {
      const stranger: Address = { channel: 'kf', openKfId: OPEN_KFID, externalUserId: 'wmNeverWrote' };
      expect(await messenger.send(stranger, [{ type: 'text', text: '您好' }])).toEqual([{ status: 'held', reason: 'kf_window_closed' }]);
      expect(wecom.kfSent).toHaveLength(0);
    });

    it('a long text uses one allowance slot per part: the window stops it after 5', async () => {
      const veryLong = LONG_PARAGRAPH.repeat(3); // ~13 kB → 7 parts
      const outcomes = await messenger.send(kf, [{ type: 'text', text: veryLong }]);
      expect(outcomes.filter((o) => o.status === 'sent')).toHaveLength(5);
      expect(outcomes.filter((o) => o.status === 'held').length).toBeGreaterThan(0);
      expect(wecom.kfSent).toHaveLength(5);
    });

    it('a template card can never be sent to a household', async () => {
      const card: Outbound = {
        type: 'card',
        card: { card_type: 'button_interaction', main_title: { title: '核实申报' }, task_id: 't1', button_list: [{ text: '确认', key: 'ok' }] },
      };
      await expect(messenger.send(kf, [card])).rejects.toThrow(/cannot be sent/);
      expect(wecom.kfSent).toHaveLength(0);
    });
  });
});
