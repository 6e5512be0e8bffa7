import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { CardClick, ChatHandler } from '../../src/channel/messages.js';
import { DEMO_ORG_FILE, loadOrgFile } from '../../src/org/org-file.js';
import { SIM_OPEN_KFID } from '../../src/simulator/identities.js';
import { loopbackOrigin } from '../../src/simulator/simulator.route.js';
import type { TranscriptEntry } from '../../src/simulator/transcripts.js';
import { TEST_NOW } from '../helpers/test-app.js';
import { seedDemoRegister } from '../../src/simulator/demo-register.js';
import { captureLogs } from '../helpers/test-app.js';
import { startSimulatorOverHttp } from './simulator-over-http.js';

const HELP = (JSON.parse(readFileSync(new URL('../../templates/zh-CN/common.json', import.meta.url), 'utf8')) as { help: { household: string; staff: string } }).help;
const ZHANG = 'wmSimZhangDaye01';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function startSimulator(handler?: ChatHandler, opts: { movableClock?: boolean } = {}) {
  return startSimulatorOverHttp(cleanups, { ...(handler ? { handler } : {}), ...opts });
}

async function post(url: string, body: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

async function transcript(url: string, channel: 'app' | 'kf', id: string): Promise<TranscriptEntry[]> {
  const res = await fetch(`${url}/simulator/transcript?channel=${channel}&id=${encodeURIComponent(id)}`);
  expect(res.status).toBe(200);
  return ((await res.json()) as { entries: TranscriptEntry[] }).entries;
}

const said = (entries: TranscriptEntry[]) => entries.map((e) => ('text' in e ? `${e.from}: ${e.text}` : `${e.from}: <${e.kind}>`));

describe('simulator routes against the real callback endpoint', () => {
  it('a staff member types 你好: the passive encrypted reply is opened and is the staff help text', async () => {
    const { url, svc } = await startSimulator();
    const staffHelp = HELP.staff.replace('{{name}}', '王建国');

    const res = await post(`${url}/simulator/staff/messages`, { userId: 'wangcadre', text: '你好' });

    expect(res).toEqual({ status: 200, json: { passiveReply: staffHelp } });
    expect(said(await transcript(url, 'app', 'wangcadre'))).toEqual(['me: 你好', `bot: ${staffHelp}`]);
    // Passive: nothing went out through message/send, and /simulator/sent still lists it.
    expect(svc.fake.appMessages).toEqual([]);
    const sent = (await (await fetch(`${url}/simulator/sent`)).json()) as { passiveReplies: { touser: string; text: { content: string } }[] };
    expect(sent.passiveReplies).toMatchObject([{ touser: 'wangcadre', text: { content: staffHelp }, passive: true }]);
  });

  it('a newcomer staff member types 排查 and walks a visit to a household of the demo register local mode imports', async () => {
    const { url, svc } = await startSimulator();
    const org = loadOrgFile(DEMO_ORG_FILE);
    expect(await seedDemoRegister(svc.built.checks, org, svc.clock.now(), captureLogs().logger)).toBe(8);
    // Imported once: a restart does not add the demo households again.
    expect(await seedDemoRegister(svc.built.checks, org, svc.clock.now(), captureLogs().logger)).toBe(0);
    for (const text of ['排查', '1', '上门', '今天', '以上都没有', '基本不变', '9000', '外出务工', '否', '没有风险', '无', '无', '1']) {
      expect((await post(`${url}/simulator/staff/messages`, { userId: 'wangcadre', text })).status).toBe(200);
    }
    await svc.built.settled();
    const lines = said(await transcript(url, 'app', 'wangcadre')).join('\n');
    expect(lines).toContain('2026年11月定期排查：您负责2户');
    expect(lines).toContain('已记录：李秀英');
  });

  it('a household types 你好: kf message pushed, kf event posted, the help text arrives through kf/send_msg', async () => {
    const { url, svc } = await startSimulator();

    const res = await post(`${url}/simulator/household/messages`, { externalUserId: ZHANG, text: '你好' });
    expect(res).toEqual({ status: 202, json: { accepted: true } });
    await svc.built.settled();

    expect(svc.fake.inbox(SIM_OPEN_KFID)).toMatchObject([{ external_userid: ZHANG, origin: 3, msgtype: 'text', text: { content: '你好' } }]);
    expect(svc.fake.syncRequests).toHaveLength(1);
    expect(svc.fake.kfSent).toMatchObject([{ touser: ZHANG, open_kfid: SIM_OPEN_KFID, msgtype: 'text', text: { content: HELP.household } }]);
    expect(said(await transcript(url, 'kf', ZHANG))).toEqual(['me: 你好', `bot: ${HELP.household}`]);
    expect(await transcript(url, 'kf', 'wmSimLiAyi02')).toEqual([]);
  });

  it('a menu tap reaches the service as a kf text carrying menu_id', async () => {
    const seen: { text: string; menuId?: string }[] = [];
    const handler: ChatHandler = {
      onText: async (input) => (seen.push({ text: input.text, ...(input.menuId ? { menuId: input.menuId } : {}) }), { replies: [] }),
      onUnsupported: async () => ({ replies: [] }),
      onCardClick: async () => ({ replies: [] }),
    };
    const { url, svc } = await startSimulator(handler);

    expect((await post(`${url}/simulator/household/messages`, { externalUserId: ZHANG, text: '青山镇', menuId: 'township_1' })).status).toBe(202);
    await svc.built.settled();

    expect(seen).toEqual([{ text: '青山镇', menuId: 'township_1' }]);
    expect(svc.fake.inbox(SIM_OPEN_KFID)[0]?.text).toEqual({ content: '青山镇', menu_id: 'township_1' });
  });

  it('a card button tap posts an encrypted template_card_event with the card task id, the button key and a fresh response code', async () => {
    const clicks: CardClick[] = [];
    const handler: ChatHandler = { onText: async () => ({ replies: [] }), onUnsupported: async () => ({ replies: [] }), onCardClick: async (c) => (clicks.push(c), { replies: [] }) };
    const { url, svc } = await startSimulator(handler);
    await svc.built.messenger.send({ channel: 'app', userId: 'wangcadre' }, [
      { type: 'card', card: { card_type: 'button_interaction', main_title: { title: '新的申报' }, task_id: 'rv_sim_1', button_list: [{ text: '受理', style: 1, key: 'accept:rv_sim_1' }] } },
    ]);
    const [card] = await transcript(url, 'app', 'wangcadre');
    expect(card).toMatchObject({ from: 'bot', kind: 'card', card: { taskId: 'rv_sim_1', buttons: [{ text: '受理', key: 'accept:rv_sim_1' }] } });

    const res = await post(`${url}/simulator/staff/card-clicks`, { userId: 'wangcadre', taskId: 'rv_sim_1', eventKey: 'accept:rv_sim_1' });

    expect(res.status).toBe(202);
    expect(clicks).toHaveLength(1);
    expect(clicks[0]).toMatchObject({ from: { channel: 'app', userId: 'wangcadre' }, taskId: 'rv_sim_1', eventKey: 'accept:rv_sim_1' });
    expect(clicks[0]?.responseCode).toMatch(/^rc_[0-9a-f]+$/);
    expect(clicks[0]?.responseCode).not.toBe(svc.fake.appMessages[0]?.response_code);
    expect(said(await transcript(url, 'app', 'wangcadre')).at(-1)).toBe('me: 受理');
    // Someone else cannot tap wangcadre's card, nor a button it does not have.
    expect((await post(`${url}/simulator/staff/card-clicks`, { userId: 'lisecretary', taskId: 'rv_sim_1', eventKey: 'accept:rv_sim_1' })).status).toBe(404);
    expect((await post(`${url}/simulator/staff/card-clicks`, { userId: 'wangcadre', taskId: 'rv_sim_1', eventKey: 'reject:rv_sim_1' })).status).toBe(404);
  });

  it('shows what the outbox sends later: a notice to someone who typed nothing, a card greyed out after its tap, all in /simulator/sent', async () => {
    const { url, svc } = await startSimulator();
    // 张大爷 declares (typed answers, menus by number), as on the page.
    const declaration = ['申报', '张德福', '430621195805121238', '13812345678', '1', '1', '1', '3', '1', '6', '老伴尿毒症每周透析，每月自付两千多元。', '说完了', '是', '是', '1'];
    for (const text of declaration) {
      expect((await post(`${url}/simulator/household/messages`, { externalUserId: ZHANG, text })).status).toBe(202);
      await svc.built.settled();
    }
    expect(said(await transcript(url, 'kf', ZHANG)).at(-1)).toMatch(/^bot: 申报已提交！案件编号：20261122-0001/);
    // The village cadre typed nothing: the notice reached their transcript through the outbox.
    expect(said(await transcript(url, 'app', 'wangcadre'))).toEqual([expect.stringMatching(/^bot: 【新的自主申报】案件编号 20261122-0001/), 'bot: <card>']);
    // The card that came with it shows the cadre, who must call, the household's full phone.
    const phoneCard = (await transcript(url, 'app', 'wangcadre')).find((e) => e.from === 'bot' && e.kind === 'card');
    if (phoneCard?.from !== 'bot' || phoneCard.kind !== 'card') return expect.fail('no 查看电话 card in the transcript');
    expect(phoneCard.card.buttons).toMatchObject([{ text: '查看电话', key: 'phone' }]);
    expect((await post(`${url}/simulator/staff/card-clicks`, { userId: 'wangcadre', taskId: phoneCard.card.taskId, eventKey: 'phone' })).status).toBe(202);
    await svc.built.settled();
    expect(said(await transcript(url, 'app', 'wangcadre')).at(-1)).toContain('户主「张德福」的电话：13812345678');

    // The township reviewer lists the work and taps 受理 on the card.
    await post(`${url}/simulator/staff/messages`, { userId: 'chentownship', text: '我的待办' });
    await svc.built.settled();
    const card = (await transcript(url, 'app', 'chentownship')).find((e) => e.from === 'bot' && e.kind === 'card');
    if (card?.from !== 'bot' || card.kind !== 'card') return expect.fail('no card in the transcript');
    expect((await post(`${url}/simulator/staff/card-clicks`, { userId: 'chentownship', taskId: card.card.taskId, eventKey: 'agree' })).status).toBe(202);
    await svc.built.settled();

    const after = await transcript(url, 'app', 'chentownship');
    const greyed = after.find((e) => e.from === 'bot' && e.kind === 'card');
    expect(greyed).toMatchObject({ card: { taskId: card.card.taskId, done: expect.stringMatching(/^已受理 · 陈镇长/) } });
    const afterTap = said(after).slice(said(after).indexOf('me: 受理'));
    expect(afterTap).toEqual(expect.arrayContaining([expect.stringMatching(/^bot: 已受理 · 陈镇长/), 'bot: 已记录：20261122-0001（张德福）受理。现在：待入户核实。']));
    // Once greyed out, the page offers no button: a second tap is refused.
    expect((await post(`${url}/simulator/staff/card-clicks`, { userId: 'chentownship', taskId: card.card.taskId, eventKey: 'agree' })).status).toBe(409);

    const sent = (await (await fetch(`${url}/simulator/sent`)).json()) as { appMessages: { touser: string; msgtype: string }[]; kfMessages: unknown[]; cardUpdates: { response_code: string }[] };
    // The cadres' notices (sent to people who typed nothing), the phone to the cadre who tapped for it, the cards each
    // step sends, and the answers to the reviewer.
    expect(sent.appMessages.filter((m) => m.msgtype === 'text').map((m) => m.touser)).toEqual(['wangcadre', 'zhoucadre', 'wangcadre', 'chentownship', 'chentownship']);
    expect(sent.appMessages.filter((m) => m.msgtype === 'template_card').map((m) => m.touser)).toContain('lisecretary');
    // The tapped card, and every other card of that step, greyed out.
    expect(sent.cardUpdates.length).toBeGreaterThanOrEqual(2);
    expect(sent.kfMessages.length).toBeGreaterThan(declaration.length);
  });

  it('answers 400 to bad bodies and queries, 404 to people it does not know', async () => {
    const { url, svc } = await startSimulator();
    const bad: [string, unknown][] = [
      ['/simulator/staff/messages', { userId: 'wangcadre' }],
      ['/simulator/staff/messages', { userId: 'wangcadre', text: '   ' }],
      ['/simulator/staff/messages', { userId: 'wangcadre', text: 42 }],
      ['/simulator/staff/messages', { userId: 'wangcadre', text: '你好', extra: true }],
      ['/simulator/household/messages', { externalUserId: ZHANG, text: '你好', menuId: '' }],
      ['/simulator/household/messages', { text: '你好' }],
      ['/simulator/household/messages', 'not json at all'],
      ['/simulator/staff/card-clicks', { userId: 'wangcadre', taskId: 'rv_sim_1' }],
    ];
    for (const [path, body] of bad) {
      const res = await post(`${url}${path}`, body);
      expect(res.status, `${path} ${JSON.stringify(body)}`).toBe(400);
      expect(res.json.error).toBe('BAD_REQUEST');
    }
    const malformed = await fetch(`${url}/simulator/staff/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"userId":' });
    expect(malformed.status).toBe(400);
    expect((await fetch(`${url}/simulator/transcript?channel=sms&id=x`)).status).toBe(400);
    expect((await post(`${url}/simulator/staff/messages`, { userId: 'nobody', text: '你好' })).status).toBe(404);
    expect((await post(`${url}/simulator/household/messages`, { externalUserId: 'wmStranger', text: '你好' })).status).toBe(404);
    // Nothing reached the service.
    expect(svc.fake.inbox(SIM_OPEN_KFID)).toEqual([]);
    expect(svc.fake.calls).toEqual([]);
  });

  it('serves the page, its assets and the identities; nothing else from the page folder', async () => {
    const { url } = await startSimulator();
    const page = await fetch(`${url}/simulator`);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(await page.text()).toContain('/simulator/page/simulator.js');
    expect((await fetch(`${url}/simulator/page/simulator.js`)).headers.get('content-type')).toContain('javascript');
    expect((await fetch(`${url}/simulator/page/simulator.css`)).status).toBe(200);
    expect((await fetch(`${url}/simulator/page/index.html`)).status).toBe(404);
    expect((await fetch(`${url}/simulator/page/..%2Fsimulator.route.ts`)).status).toBe(404);
    // The icon the page names (and the one browsers ask for by default) is there, not a 404.
    const favicon = await fetch(`${url}/favicon.ico`);
    expect(favicon.status).toBe(200);
    expect(favicon.headers.get('content-type')).toContain('image/svg+xml');
    expect(await favicon.text()).toMatch(/^<svg [^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    const identities = (await (await fetch(`${url}/simulator/identities`)).json()) as { households: { name: string }[]; staff: { userId: string; name: string }[] };
    expect(identities.households.map((h) => h.name)).toContain('张大爷');
    expect(identities.staff).toContainEqual(expect.objectContaining({ userId: 'wangcadre', name: '王建国' }));
  });
});

describe('simulated time on the simulator (local mode)', () => {
  it('shows the simulated date; 快进 moves the clock the service and the callbacks share, and every open chat shows the jump', async () => {
    const { url, svc } = await startSimulator(undefined, { movableClock: true });
    const before = (await (await fetch(`${url}/simulator/clock`)).json()) as { date: string };
    expect(before).toMatchObject({ now: TEST_NOW.toISOString(), date: '2026-11-22' });
    await post(`${url}/simulator/staff/messages`, { userId: 'wangcadre', text: '你好' });

    const moved = await post(`${url}/simulator/clock`, { days: 6 });

    expect(moved.status).toBe(200);
    expect(moved.json).toMatchObject({ now: new Date(TEST_NOW.getTime() + 6 * 86_400_000).toISOString(), date: '2026-11-28' });
    expect(svc.clock.now().toISOString()).toBe(moved.json.now);
    expect((await transcript(url, 'app', 'wangcadre')).at(-1)).toMatchObject({ from: 'sim', kind: 'clock', days: 6, date: '2026-11-28' });
    // Callbacks are signed on the moved clock: the service's timestamp check still lets them in.
    expect(await post(`${url}/simulator/staff/messages`, { userId: 'wangcadre', text: '你好' })).toMatchObject({ status: 200 });
  });

  it('moves time only forward, by whole days, at most 60 at a time', async () => {
    const { url, svc } = await startSimulator(undefined, { movableClock: true });
    for (const body of [{ days: 0 }, { days: -1 }, { days: 1.5 }, { days: 61 }, { days: '6' }, {}, { days: 1, to: '2027-01-01' }]) {
      const res = await post(`${url}/simulator/clock`, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.json.error).toBe('BAD_REQUEST');
    }
    expect(svc.clock.now().toISOString()).toBe(TEST_NOW.toISOString());
  });

  it('has no clock routes unless given a clock to move', async () => {
    const { url, svc } = await startSimulator();
    expect((await fetch(`${url}/simulator/clock`)).status).toBe(404);
    expect((await post(`${url}/simulator/clock`, { days: 6 })).status).toBe(404);
    expect(svc.clock.now().toISOString()).toBe(TEST_NOW.toISOString());
  });
});

describe('loopbackOrigin', () => {
  it('reaches a wildcard bind through loopback and brackets IPv6', () => {
    expect(loopbackOrigin({ address: '0.0.0.0', family: 'IPv4', port: 3000 })).toBe('http://127.0.0.1:3000');
    expect(loopbackOrigin({ address: '::', family: 'IPv6', port: 3000 })).toBe('http://127.0.0.1:3000');
    expect(loopbackOrigin({ address: '::1', family: 'IPv6', port: 3000 })).toBe('http://[::1]:3000');
    expect(() => loopbackOrigin(null)).toThrow(/not listening/);
  });
});
