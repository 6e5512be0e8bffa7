import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/shared/clock.js';
import { FakeWeComState } from '../../src/simulator/fake-wecom-state.js';
import type { ButtonCard } from '../../src/wecom/api.js';
import { staffClicks, staffSays, type StaffReply } from '../helpers/staff-chat.js';
import { startTestService, type TestService } from '../helpers/test-app.js';
import { VECTOR_CRYPTO } from '../helpers/vectors.js';

/**
 * The checks on the real service's daily tick (the one its scheduler runs), its clock under the test's control:
 * the month starts and the cadres are told; the report day comes closer and they, and the township, are
 * reminded; the report day brings the summaries to the township and the county; a campaign's end is reminded,
 * then it closes with its missing list. Every day's tick may run again (a second instance, a restart): nothing
 * goes out twice.
 */
const REGISTER = readFileSync(new URL('../fixtures/registers/qingshan.csv', import.meta.url), 'utf8');
const ADMIN = 'test-admin-token-0123456789';
/** A visit to the household at `pick` finding nothing. */
const QUIET_VISIT = (pick: string) => ['排查', pick, '上门', '今天', '以上都没有', '基本不变', '9000', '外出务工', '否', '没有风险', '无', '无', '1'];

const running: TestService[] = [];
afterEach(async () => {
  for (const svc of running.splice(0)) await svc.close();
});

async function start(at: string, env: Record<string, string> = {}, reuse?: TestService): Promise<TestService> {
  const clock = new ManualClock(new Date(at));
  const fake = reuse?.fake ?? new FakeWeComState({ corpId: VECTOR_CRYPTO.corpId, secret: 'test-app-secret' });
  fake.now = () => clock.now().getTime();
  const svc = await startTestService({ clock, fake, env, ...(reuse ? { state: reuse.state, docs: reuse.docs } : {}) });
  running.push(svc);
  return svc;
}

async function admin(svc: TestService, method: string, path: string, body: string, type = 'application/json'): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${svc.baseUrl}${path}`, { method, headers: { authorization: `Bearer ${ADMIN}`, 'content-type': type }, body });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** The daily tick at `time` in China on `date` (what the scheduler runs), and what it sent. */
async function tick(svc: TestService, date: string, time = '08:30'): Promise<void> {
  svc.clock.set(new Date(`${date}T${time}:00+08:00`));
  await svc.built.dailyTick();
  await svc.built.settled();
}

/** What `userId` got from the `from`-th app message on. */
function got(svc: TestService, userId: string, from = 0): StaffReply {
  const sent = svc.fake.appMessages.slice(from).filter((m) => m.touser === userId);
  return {
    texts: sent.filter((m) => m.msgtype === 'text').map((m) => (m.text as { content: string }).content),
    cards: sent.filter((m) => m.msgtype === 'template_card').map((m) => ({ ...(m.template_card as ButtonCard), response_code: m.response_code! })),
  };
}

/** A cadre walks a visit by chat, a few seconds between messages (as a person types). */
async function visit(svc: TestService, userId: string, head: string): Promise<void> {
  for (const text of QUIET_VISIT(head)) {
    svc.clock.advance(5_000);
    await staffSays(svc, userId, text);
  }
}

const title = (card: ButtonCard) => `${card.main_title.title}｜${card.main_title.desc ?? ''}`;

describe('the checks on the daily tick', () => {
  it('the month starts, the report day comes closer, the day comes: cadres told, reminded, the summary to township and county, each once', async () => {
    const svc = await start('2026-11-30T10:00:00+08:00');
    expect((await admin(svc, 'POST', '/admin/registers', REGISTER, 'text/csv; charset=utf-8')).body).toMatchObject({ created: 4 });

    // The 1st, before the digest time: nothing yet. At 08:30 each cadre with households due gets the month's card.
    await tick(svc, '2026-12-01', '07:30');
    expect(svc.fake.appMessages).toHaveLength(0);
    await tick(svc, '2026-12-01');
    expect(got(svc, 'wangcadre').cards.map(title)).toEqual(['2026年12月定期排查｜轮到您排查3户，12月28日前报乡镇']);
    expect(got(svc, 'zhoucadre').cards.map(title)).toEqual(['2026年12月定期排查｜轮到您排查3户，12月28日前报乡镇']);
    expect(got(svc, 'zhaocadre').cards).toEqual([]); // 白水乡: nothing due
    // The tick runs every hour, and again after a restart the same day: nothing more.
    const afterFirst = svc.fake.appMessages.length;
    await tick(svc, '2026-12-01', '09:30');
    await tick(svc, '2026-12-01', '20:30');
    expect(svc.fake.appMessages).toHaveLength(afterFirst);

    // 王建国 visits 张德福; three days before the 28th he is reminded of the two left, the township of all three.
    svc.clock.set(new Date('2026-12-03T10:00:00+08:00'));
    await visit(svc, 'wangcadre', '张德福');
    let from = svc.fake.appMessages.length;
    await tick(svc, '2026-12-25');
    expect(got(svc, 'wangcadre', from).texts.join('\n')).toContain('【2026年12月28日到期 · 还有3天】\n1. 2026年12月定期排查（青山镇桃源村还有2户未查）：走访未查的户，按时报送月度排查');
    expect(got(svc, 'chentownship', from).texts.join('\n')).toContain('2026年12月定期排查（青山镇还有3户未查）：走访未查的户，按时报送月度排查');
    // No start card again on the 25th (it went on the 1st); 去办理 on the reminder says how to walk the rest.
    const [reminder] = got(svc, 'wangcadre', from).cards;
    expect(reminder?.main_title.title).toBe('待办提醒');
    expect((await staffClicks(svc, 'wangcadre', reminder!, 'act')).texts).toEqual(['这张提醒里的排查还有农户没走访：回复“排查”打开名单，选一户开始走访。']);

    // The report day: the township's reviewer gets the summary with 转报县里, the county its own; and today's reminder.
    from = svc.fake.appMessages.length;
    await tick(svc, '2026-12-28');
    const chen = got(svc, 'chentownship', from);
    expect(chen.texts.find((t) => t.startsWith('青山镇2026年12月定期排查汇总'))).toBe(
      [
        '青山镇2026年12月定期排查汇总（12月28日报送）：',
        '应查4户，已查1户，未查3户。',
        '未查（按村）：桃源村2户（李秀英、王大山）；柳塘村1户（刘春花）',
        '未查（按干部）：王建国2户；周志强2户；孙丽1户',
        '发现新风险0户，已上报线索0条。',
      ].join('\n'),
    );
    expect(chen.cards.map((c) => c.main_title.title)).toContain('本月定期排查汇总');
    expect(got(svc, 'liucounty', from).texts.find((t) => t.startsWith('示范县2026年12月定期排查汇总'))).toContain('应查4户，已查1户，未查3户。');
    expect(got(svc, 'wangcadre', from).texts.join('\n')).toContain('【今天到期】');

    // The day after: the summaries do not go again; the cadre is reminded of what is overdue.
    from = svc.fake.appMessages.length;
    await tick(svc, '2026-12-29');
    expect(got(svc, 'chentownship', from).texts.filter((t) => t.includes('定期排查汇总'))).toEqual([]);
    expect(got(svc, 'liucounty', from).texts.filter((t) => t.includes('定期排查汇总'))).toEqual([]);
    expect(got(svc, 'wangcadre', from).texts.join('\n')).toContain('【2026年12月28日到期 · 已逾期1天】\n1. 2026年12月定期排查（青山镇桃源村还有2户未查）');

    // Every household visited (recorded directly: WeCom lets one person get 30 app messages a real minute): nothing left to remind of.
    const { checks } = svc.built;
    for (const h of await checks.deps.register.inVillages(checks.deps.dueList.villagesUnder(['430621101']))) {
      const answers = { checkTask: 'monthly-2026-12', householdKey: h._id, channel: 'home', visitDate: '2026-12-29', newRisks: ['none'] };
      expect(await checks.service.recorder.record(checks.deps.org.findStaff('chentownship')!, answers, 'zh-CN', svc.clock.now(), `in-${h._id}`)).toContain('已记录');
    }
    const plan = await svc.built.reminders.plan('2026-12-30');
    expect(plan.flatMap((d) => d.entries.map((e) => e.item.kind))).not.toContain('monthlyReport');
  });

  it('a service down from the 1st to past the report day sends the summary on its first day back in the month, and not a start card', async () => {
    const svc = await start('2026-11-30T10:00:00+08:00');
    await admin(svc, 'POST', '/admin/registers', REGISTER, 'text/csv; charset=utf-8');
    await tick(svc, '2026-12-30');
    expect(got(svc, 'chentownship').texts.filter((t) => t.includes('定期排查汇总'))).toHaveLength(1);
    expect(got(svc, 'wangcadre').cards.filter((c) => c.main_title.title === '2026年12月定期排查')).toEqual([]);
    // The next month: December's summary is not sent again; January's card goes out.
    await tick(svc, '2027-01-01');
    expect(got(svc, 'chentownship').texts.filter((t) => t.includes('定期排查汇总'))).toHaveLength(1);
    expect(got(svc, 'wangcadre').cards.map((c) => c.main_title.title)).toContain('2027年1月定期排查');
  });

  it('a campaign: its end is reminded to the cadres and the township, then it closes the day after with its missing list', async () => {
    const svc = await start('2026-11-30T10:00:00+08:00');
    await admin(svc, 'POST', '/admin/registers', REGISTER, 'text/csv; charset=utf-8');
    const opened = await admin(svc, 'POST', '/admin/campaigns', JSON.stringify({ name: '冬季集中排查', period: { from: '2026-12-01', to: '2026-12-10' }, scope: { area: '430621101', households: 'all' }, form: 'central-check' }));
    expect(opened.status).toBe(201);
    // Opened before it runs: the cadres hear of it on its first day, once.
    expect(got(svc, 'wangcadre').cards).toEqual([]);
    await tick(svc, '2026-12-01');
    expect(got(svc, 'wangcadre').cards.map(title)).toContain('集中排查“冬季集中排查”｜轮到您排查3户，12月10日截止');
    await tick(svc, '2026-12-02');
    expect(got(svc, 'wangcadre').cards.filter((c) => c.main_title.title === '集中排查“冬季集中排查”')).toHaveLength(1);
    let from = svc.fake.appMessages.length;
    await tick(svc, '2026-12-07');
    expect(got(svc, 'wangcadre', from).texts.join('\n')).toContain('【2026年12月10日到期 · 还有3天】\n1. 集中排查“冬季集中排查”（青山镇桃源村还有3户未查）：截止前走访完未查的户');
    expect(got(svc, 'chentownship', from).texts.join('\n')).toContain('集中排查“冬季集中排查”（青山镇还有4户未查）');
    from = svc.fake.appMessages.length;
    await tick(svc, '2026-12-11');
    const closed = got(svc, 'chentownship', from).texts.find((t) => t.startsWith('排查已结束'));
    expect(closed).toContain('应查4户，已查0户，未查4户');
    expect(got(svc, 'wangcadre', from).texts.join('\n')).not.toContain('冬季集中排查');
    from = svc.fake.appMessages.length;
    await tick(svc, '2026-12-12');
    expect(got(svc, 'chentownship', from).texts.filter((t) => t.startsWith('排查已结束'))).toEqual([]);
  });

  it('a campaign opened while it runs is announced to its cadres at once, and its card opens their list', async () => {
    const svc = await start('2026-12-03T10:00:00+08:00');
    await admin(svc, 'POST', '/admin/registers', REGISTER, 'text/csv; charset=utf-8');
    await admin(svc, 'POST', '/admin/campaigns', JSON.stringify({ name: '2026年回头看', period: { from: '2026-12-01', to: '2026-12-20' }, scope: { area: '430621101', households: 'all' }, form: 'review-survey' }));
    await svc.built.settled();
    const [card] = got(svc, 'suncadre').cards;
    expect(card && title(card)).toBe('回头看“2026年回头看”｜轮到您排查1户，12月20日截止');
    expect((await staffClicks(svc, 'suncadre', card!, 'start')).texts.join('\n')).toContain('回头看“2026年回头看”：您负责1户，已查0户，还剩1户，12月20日截止。');
  });

  it('runs on the scheduler of the service: started on the 1st after the digest time it catches up, and a restart that day sends nothing again', async () => {
    const first = await start('2026-11-30T10:00:00+08:00');
    await admin(first, 'POST', '/admin/registers', REGISTER, 'text/csv; charset=utf-8');
    await first.close({ keepStores: true });
    running.splice(running.indexOf(first), 1);
    const svc = await start('2026-12-01T09:10:00+08:00', { REMINDERS_ENABLED: 'true' }, first);
    await svc.built.settled();
    expect(got(svc, 'wangcadre').cards.map((c) => c.main_title.title)).toEqual(['2026年12月定期排查']);
    const sent = svc.fake.appMessages.length;
    await svc.close({ keepStores: true });
    running.splice(running.indexOf(svc), 1);
    const again = await start('2026-12-01T11:10:00+08:00', { REMINDERS_ENABLED: 'true' }, svc);
    await again.built.settled();
    expect(again.fake.appMessages).toHaveLength(sent);
  });
});
