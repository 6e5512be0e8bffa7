import { afterEach, describe, expect, it } from 'vitest';
import type { CaseRecord } from '../../src/cases/case-record.js';
import { ManualClock } from '../../src/shared/clock.js';
import { FakeWeComState } from '../../src/simulator/fake-wecom-state.js';
import type { ButtonCard } from '../../src/wecom/api.js';
import { answers, casesOn, type Cases } from '../helpers/case-world.js';
import { staffClicks, type StaffReply } from '../helpers/staff-chat.js';
import { startTestService, TEST_NOW, type TestService } from '../helpers/test-app.js';
import { VECTOR_CRYPTO } from '../helpers/vectors.js';
import { on, visit } from '../procedure/harness.js';

/**
 * Deadline reminders on the real service, its clock under the test's control: the day's digest (one message a
 * day per person, by due date with the overdue first), escalation stopped by 已知晓, 去办理, quiet hours and a
 * digest that lost its items before it went out.
 */
const HOUSEHOLDS = [
  { head: '张德福', idNumber: '430621195805121238' },
  { head: '李秀英', idNumber: '430621198001011234' },
  { head: '王建华', idNumber: '430621199001011234' },
  { head: '赵春生', idNumber: '430621196203041111' },
];

const running: TestService[] = [];
afterEach(async () => {
  for (const svc of running.splice(0)) await svc.close();
});

async function start(env: Record<string, string> = {}): Promise<{ svc: TestService; cases: Cases }> {
  const clock = new ManualClock(TEST_NOW);
  const fake = new FakeWeComState({ corpId: VECTOR_CRYPTO.corpId, secret: 'test-app-secret' });
  fake.now = () => clock.now().getTime();
  const svc = await startTestService({ clock, fake, env });
  running.push(svc);
  return { svc, cases: await casesOn(svc.docs) };
}

/** Household `n` (0-based) of 桃源村 declares on `date`: a lead the village secretary and the township may accept. */
async function declare(cases: Cases, n: number, date: string): Promise<CaseRecord> {
  const h = HOUSEHOLDS[n]!;
  const { record } = await cases.declarations.declare(answers({ householdHead: h.head, idNumber: h.idNumber }), { channel: 'kf', openKfId: 'wkFpfpHelpDesk01', externalUserId: `wmRemind${n}` }, on(date));
  return record;
}

async function step(cases: Cases, record: CaseRecord, action: Record<string, unknown>, userId: string, date: string, time = '10:00'): Promise<void> {
  const current = (await cases.repo.get(record._id))!;
  const d = await cases.cases.decide({ caseId: record._id, action: { ...action, caseVersion: current.procedure.version } as never, userId, now: on(date, time) });
  if (!d.ok) expect.fail(`${String(action.type)} refused: ${d.reason}`);
}

/** Runs the reminder tick at `time` (China) on `date`, and waits for what it sends. */
async function tick(svc: TestService, date: string, time = '08:30'): Promise<number> {
  svc.clock.set(on(date, time));
  const recorded = await svc.built.reminders.tick();
  await svc.built.settled();
  return recorded;
}

/** What `userId` got from the `from`-th app message on: texts, and cards. */
function got(svc: TestService, userId: string, from = 0): StaffReply {
  const sent = svc.fake.appMessages.slice(from).filter((m) => m.touser === userId);
  return {
    texts: sent.filter((m) => m.msgtype === 'text').map((m) => (m.text as { content: string }).content),
    cards: sent.filter((m) => m.msgtype === 'template_card').map((m) => ({ ...(m.template_card as ButtonCard), response_code: m.response_code! })),
  };
}

const TAIL = '点下方卡片“去办理”开始办理；点“已知晓”表示已看到，逾期事项不再向上级催办（办结前仍每天提醒）。';

describe('the daily digest', () => {
  it('is one message a day per person, grouped by due date with the overdue first, and escalated items go up in theirs', async () => {
    const { svc, cases } = await start();
    // Found on 20, 22, 23 and 25 November: identification due 5, 7, 8 and 10 December (15 natural days, Hunan).
    for (const [n, date] of ['2026-11-20', '2026-11-22', '2026-11-23', '2026-11-25'].entries()) await declare(cases, n, date);

    expect(await tick(svc, '2026-12-03')).toBe(0); // no deadline on a reminder day yet
    expect(await tick(svc, '2026-12-07')).toBe(3);
    const chen = got(svc, 'chentownship');
    expect(chen.texts).toEqual([
      [
        '陈镇长，2026年12月7日待办提醒：共 4 项。',
        '【2026年12月5日到期 · 已逾期2天】',
        '1. 20261120-0001 张德福（青山镇桃源村一组）：完成识别认定（待受理线索）',
        '【今天到期】',
        '2. 20261122-0002 李秀英（青山镇桃源村一组）：完成识别认定（待受理线索）',
        '【2026年12月8日到期 · 还有1天】',
        '3. 20261123-0003 王建华（青山镇桃源村一组）：完成识别认定（待受理线索）',
        '【2026年12月10日到期 · 还有3天】',
        '4. 20261125-0004 赵春生（青山镇桃源村一组）：完成识别认定（待受理线索）',
        TAIL,
      ].join('\n'),
    ]);
    expect(chen.cards).toEqual([
      expect.objectContaining({
        main_title: { title: '待办提醒', desc: '2026年12月7日 · 共4项' },
        sub_title_text: '已逾期 1 项，今天到期 1 项，即将到期 2 项，催办 0 项。详见上一条消息。',
        button_list: [
          { text: '去办理', style: 1, key: 'act' },
          { text: '已知晓', style: 2, key: 'ack' },
        ],
      }),
    ]);
    expect(got(svc, 'lisecretary').texts[0]).toContain('共 4 项');
    // Two days late, the first lead climbed past its owners (secretary and township) to the county.
    expect(got(svc, 'liucounty').texts).toEqual([
      [
        '刘局长，2026年12月7日待办提醒：共 1 项。',
        '—— 下级逾期未办（催办）——',
        '【2026年12月5日到期 · 已逾期2天】',
        '1. 20261120-0001 张德福（青山镇桃源村一组）：完成识别认定（待受理线索）（负责人：李书记、陈镇长）',
        TAIL,
      ].join('\n'),
    ]);
    // Nothing goes to the cadres, who have no step pending on a lead; no ID or phone number anywhere.
    expect(got(svc, 'wangcadre').texts).toEqual([]);
    expect(JSON.stringify(svc.fake.appMessages)).not.toMatch(/430621\d{11}[\dX]|138\d{8}/);

    // The same day again (another instance, a restart, a later run): nothing more.
    const sent = svc.fake.appMessages.length;
    expect(await tick(svc, '2026-12-07', '15:30')).toBe(0);
    svc.clock.set(on('2026-12-07', '16:00'));
    await svc.built.reminders.plan('2026-12-07');
    await svc.built.settled();
    expect(svc.fake.appMessages.length).toBe(sent);
    expect((await svc.built.outboxStore.find({ purpose: 'digest' })).map((r) => r.status)).toEqual(['sent', 'sent', 'sent']);
  });

  it('已知晓 stops the climb; 去办理 brings the cards of the steps, and a lone form step starts its form', async () => {
    const { svc, cases } = await start();
    const first = await declare(cases, 0, '2026-11-20'); // due 5 December
    await tick(svc, '2026-12-07');
    const [county] = got(svc, 'liucounty').cards;
    const noted = await staffClicks(svc, 'liucounty', county!, 'ack');
    expect(noted.texts).toEqual(['已记录：1 项已知晓，逾期事项不再向上级催办；办结之前仍会每天提醒您。']);
    expect(svc.fake.cardUpdates.at(-1)).toMatchObject({ response_code: noted.responseCode, userids: ['liucounty'], button: { replace_name: '已知晓 · 刘局长 12月7日 08:30' } });

    // The next day it is three days late: its owners are still reminded, the county is not (it was acknowledged).
    const before = svc.fake.appMessages.length;
    await tick(svc, '2026-12-08');
    expect(got(svc, 'liucounty', before).texts).toEqual([]);
    expect(got(svc, 'chentownship', before).texts[0]).toContain('【2026年12月5日到期 · 已逾期3天】');

    // 去办理: the township reviewer gets the step's card and accepts the lead on it.
    const [reminder] = got(svc, 'chentownship', before).cards;
    const act = await staffClicks(svc, 'chentownship', reminder!, 'act');
    expect(act.cards.map((c) => [c.main_title.title, c.main_title.desc, c.button_list.map((b) => b.text)])).toEqual([['受理线索', '案件 20261120-0001', ['受理', '不予受理']]]);
    await staffClicks(svc, 'chentownship', act.cards[0]!, 'agree');

    // Now the home visit is due, the cadres' step, and it has a form: 去办理 on their one-item reminder starts it.
    const next = svc.fake.appMessages.length;
    await tick(svc, '2026-12-09');
    const wang = got(svc, 'wangcadre', next);
    expect(wang.texts[0]).toContain('1. 20261120-0001 张德福（青山镇桃源村一组）：完成识别认定（待入户核实）');
    expect(wang.cards[0]!.button_list).toEqual([
      { text: '去办理', style: 1, key: 'fill' },
      { text: '已知晓', style: 2, key: 'ack' },
    ]);
    const form = await staffClicks(svc, 'wangcadre', wang.cards[0]!, 'fill');
    expect(form.texts.join('\n')).toContain('入户核实');
    expect(form.texts.join('\n')).toContain('20261120-0001');
    expect((await cases.repo.get(first._id))!.procedure.stage).toBe('homeVerification');
  });

  it('waits for the end of quiet hours, and is cancelled or cut down when its items are done first', async () => {
    const { svc, cases } = await start({ REMINDER_DIGEST_AT: '07:00' });
    // A: on public notice from 24 November, which ends on the 29th. B: waiting for its home visit, due 2 December.
    const a = await declare(cases, 0, '2026-11-22');
    await step(cases, a, { type: 'acceptLead' }, 'chentownship', '2026-11-22');
    await step(cases, a, visit, 'wangcadre', '2026-11-23');
    await step(cases, a, { type: 'recordAppraisal' }, 'lisecretary', '2026-11-24');
    const b = await declare(cases, 1, '2026-11-17');
    await step(cases, b, { type: 'acceptLead' }, 'chentownship', '2026-11-17');

    // 07:00 is within the quiet hours (21:00–08:00): the digests are recorded to go at 08:00, and nothing goes now.
    const before = svc.fake.appMessages.length;
    expect(await tick(svc, '2026-11-29', '07:00')).toBe(4);
    expect(svc.fake.appMessages.length).toBe(before);
    const digests = await svc.built.outboxStore.find({ purpose: 'digest' });
    expect(digests.map((r) => [r._id, r.status, r.notBefore])).toEqual([
      ['reminders:digest:2026-11-29:chentownship', 'pending', '2026-11-29T00:00:00.000Z'],
      ['reminders:digest:2026-11-29:lisecretary', 'pending', '2026-11-29T00:00:00.000Z'],
      ['reminders:digest:2026-11-29:wangcadre', 'pending', '2026-11-29T00:00:00.000Z'],
      ['reminders:digest:2026-11-29:zhoucadre', 'pending', '2026-11-29T00:00:00.000Z'],
    ]);

    // The operator sees them waiting, and until when.
    const pending = await fetch(`${svc.baseUrl}/admin/outbox?status=pending&purpose=digest`, { headers: { authorization: 'Bearer test-admin-token-0123456789' } });
    expect(((await pending.json()) as { items: { notBefore?: string }[] }).items.map((i) => i.notBefore)).toEqual(Array(4).fill('2026-11-29T00:00:00.000Z'));

    // At 07:40 the cadre closes A's notice: neither he nor the secretary is to be reminded of it any more.
    await step(cases, a, { type: 'closeNotice' }, 'wangcadre', '2026-11-29', '07:40');
    svc.clock.set(on('2026-11-29', '08:00'));
    await svc.built.outbox.sweep(true);
    await svc.built.settled();

    const status = Object.fromEntries((await svc.built.outboxStore.find({ purpose: 'digest' })).map((r) => [r._id.split(':').at(-1), [r.status, r.reason ?? '']]));
    expect(status).toEqual({ chentownship: ['sent', ''], lisecretary: ['cancelled', 'done'], wangcadre: ['sent', ''], zhoucadre: ['sent', ''] });
    expect(got(svc, 'lisecretary', before).texts).toEqual([]);
    // The cadres' digests went without A: only B's home visit is left in them.
    const wang = got(svc, 'wangcadre', before).texts[0]!;
    expect(wang).toContain('共 1 项');
    expect(wang).toContain('20261117-0002 李秀英');
    expect(wang).not.toContain('张德福');
    expect(got(svc, 'chentownship', before).texts[0]).toContain('20261117-0002 李秀英（青山镇桃源村一组）：完成识别认定（待入户核实）');
  });

  it('planned so late that quiet hours push it into tomorrow, the day is left to tomorrow\'s digest', async () => {
    const { svc, cases } = await start();
    await declare(cases, 0, '2026-11-20');
    expect(await tick(svc, '2026-12-07', '22:00')).toBe(0);
    expect(await svc.built.outboxStore.find({ purpose: 'digest' })).toEqual([]);
    expect(await tick(svc, '2026-12-08', '08:30')).toBe(3);
  });
});

describe('GET /admin/reminders/preview', () => {
  const get = async (svc: TestService, query: string, token = 'test-admin-token-0123456789') => {
    const res = await fetch(`${svc.baseUrl}/admin/reminders/preview${query}`, { headers: { authorization: `Bearer ${token}` } });
    return { status: res.status, body: (await res.json()) as { items?: Record<string, unknown>[]; issues?: unknown[] } };
  };

  it('lists who would be reminded of what on that day, and when, without sending or recording anything', async () => {
    const { svc, cases } = await start();
    const first = await declare(cases, 0, '2026-11-20');
    await declare(cases, 1, '2026-11-22');
    const [sent, recorded] = [svc.fake.appMessages.length, (await svc.built.outboxStore.find({})).length];

    const { status, body } = await get(svc, '?at=2026-12-07T09:00:00%2B08:00');
    expect(status).toBe(200);
    const line = (recipient: string, caseNumber: string, timing: string, days: number, escalated = false) =>
      expect.objectContaining({ recipient, kind: 'identification', caseNumber, timing, days, escalated, area: '430621101201', sendAt: '2026-12-07T00:30:00.000Z' });
    expect(body.items).toEqual([
      line('chentownship', '20261120-0001', 'overdue', 2),
      line('chentownship', '20261122-0002', 'before', 0),
      line('lisecretary', '20261120-0001', 'overdue', 2),
      line('lisecretary', '20261122-0002', 'before', 0),
      line('liucounty', '20261120-0001', 'overdue', 2, true),
    ]);
    expect(body.items![0]).toMatchObject({ caseId: first._id, dueOn: '2026-12-05', name: '陈镇长' });
    expect(svc.fake.appMessages.length).toBe(sent);
    expect((await svc.built.outboxStore.find({})).length).toBe(recorded);

    expect((await get(svc, '?at=yesterday')).status).toBe(400);
    expect((await get(svc, '')).body).toMatchObject({ issues: [expect.objectContaining({ field: expect.stringContaining('at') })] });
    expect((await get(svc, '?at=2026-12-07T09:00:00Z', 'not-the-admin-token-0000')).status).toBe(401);
  });
});
