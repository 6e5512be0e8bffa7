import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Address, Outbound } from '../../src/channel/messages.js';
import { CaseRepository } from '../../src/cases/case-repository.js';
import { VisitRepository } from '../../src/checks/visit-record.js';
import { createVault, parseDataKey } from '../../src/privacy/vault.js';
import { openChatWorld, type ChatWorld } from '../helpers/chat-script.js';
import { TEST_DATA_KEY } from '../helpers/test-app.js';

/**
 * The checks on a controllable clock: the card of the 1st, visits, the report day's summaries and a campaign
 * closing on its end date, each sent through the outbox under ids that make a second call send nothing more.
 */
const REGISTER = readFileSync(new URL('../fixtures/registers/qingshan.csv', import.meta.url), 'utf8');
const WANG: Address = { channel: 'app', userId: 'wangcadre' };
const ZHOU: Address = { channel: 'app', userId: 'zhoucadre' };
/** A visit to the household at `pick` finding nothing. */
const QUIET_VISIT = (pick: string) => ['排查', pick, '上门', '今天', '以上都没有', '基本不变', '9000', '外出务工', '否', '没有风险', '无', '无', '1'];
/** A visit to 王大山 finding ⑥因病, with a lead opened (phone, 3 people). */
const LEAD_VISIT = ['排查', '王大山', '电话', '今天', '以上都没有', '减少', '3000', '外出务工', '否', '⑥因病', '看病', '老伴住院花了很多钱', '是', '13812345678', '3', '1'];

let world: ChatWorld;
beforeEach(async () => {
  world = await openChatWorld();
  const result = await world.checks.registerImport.importCsv(REGISTER, ['430621'], 'admin-token', world.clock.now());
  expect(result).toMatchObject({ ok: true, created: 4 });
});
afterEach(async () => world.close());

async function says(from: Address, texts: string[]): Promise<string> {
  const out: Outbound[] = [];
  for (const text of texts) out.push(...(await world.say(from, text)));
  return out.map((m) => (m.type === 'card' ? m.card.main_title.title : m.text)).join('\n');
}
const texts = (id: string) => {
  const item = world.outboxItems.get(id);
  return item?.delivery.type === 'messages' ? item.delivery.messages.map((m) => (m.type === 'card' ? `[card] ${m.card.main_title.title}` : m.text)) : undefined;
};

describe('the checks on the clock', () => {
  it('the 1st brings each cadre with households due one card, recorded once however often it is called', async () => {
    world.clock.set('2026-12-01T00:30:00Z');
    expect(await world.checks.monthlyCheckStart(world.clock.now())).toBe(3);
    expect(texts('checks:monthly-2026-12:start:wangcadre')).toEqual(['[card] 2026年12月定期排查']);
    expect(texts('checks:monthly-2026-12:start:suncadre')).toEqual(['[card] 2026年12月定期排查']);
    // 赵红梅 (白水乡石门村) has nothing due: no card.
    expect(texts('checks:monthly-2026-12:start:zhaocadre')).toBeUndefined();
    const recorded = world.outboxItems.size;
    await world.checks.monthlyCheckStart(world.clock.now());
    expect(world.outboxItems.size).toBe(recorded);
  });

  it('a household visited twice in the month keeps both visits and counts once; a lead from a visit starts its 15 days on the visit day', async () => {
    world.clock.set('2026-12-03T02:00:00Z');
    expect(await says(WANG, QUIET_VISIT('张德福'))).toContain('已记录：张德福');
    expect(await says(ZHOU, QUIET_VISIT('张德福'))).toContain('已记录：张德福');
    const afterLead = await says(WANG, LEAD_VISIT);
    expect(afterLead).toMatch(/已上报风险线索，案件(\d{8}-\d{4})/);
    const visits = new VisitRepository(world.docs);
    expect(await visits.visits.count({ taskId: 'monthly-2026-12' })).toBe(3);
    const cases = new CaseRepository(world.docs, createVault(parseDataKey(TEST_DATA_KEY)));
    const [lead] = await cases.inVillages(['430621101201'], ['lead']);
    expect(lead?.procedure).toMatchObject({ source: 'cadreCheck', leadFoundOn: '2026-12-03', deadlines: { identification: '2026-12-18' } });
    expect(lead?.household.head).toBe('王大山');

    // The report day: the 28th in Hunan. Nothing the day before.
    world.clock.set('2026-12-27T01:00:00Z');
    expect(await world.checks.monthlyCheckReport(world.clock.now())).toBe(0);
    world.clock.set('2026-12-28T01:00:00Z');
    expect(await world.checks.monthlyCheckReport(world.clock.now())).toBe(2);
    const [township, card] = texts('checks:monthly-2026-12:summary:430621101:chentownship')!;
    expect(township).toBe(
      [
        '青山镇2026年12月定期排查汇总（12月28日报送）：',
        '应查4户，已查2户，未查2户。',
        '未查（按村）：桃源村1户（李秀英）；柳塘村1户（刘春花）',
        '未查（按干部）：王建国1户；周志强1户；孙丽1户',
        '发现新风险1户，已上报线索1条。',
      ].join('\n'),
    );
    expect(card).toBe('[card] 本月定期排查汇总');
    // The county's own summary: the same households (one township has any), to the county approver.
    expect(texts('checks:monthly-2026-12:summary:430621:liucounty')?.[0]).toContain('示范县2026年12月定期排查汇总');
    // The household's case is monitored now? No: it is a lead, so it is not counted twice (one household, one line).
    await world.checks.monthlyCheckReport(world.clock.now());
    expect([...world.outboxItems.keys()].filter((id) => id.includes(':summary:'))).toHaveLength(2);
  });

  it('a campaign closes once its end date is over, with its missing list kept and sent to township and county', async () => {
    world.clock.set('2026-12-01T02:00:00Z');
    const campaign = await world.checks.campaigns.open(
      { name: '冬季集中排查', period: { from: '2026-12-01', to: '2026-12-10' }, scope: { area: '430621101', households: 'all' }, form: 'central-check' },
      'admin-token',
      world.clock.now(),
    );
    const chosen = await says(WANG, ['排查', '2', '张德福', '上门', '今天', '以上都没有', '基本不变', '9000', '外出务工', '否', '没有风险', '无', '无', '1']);
    expect(chosen).toContain('计入集中排查“冬季集中排查”');
    world.clock.set('2026-12-10T15:00:00Z'); // 23:00 on the 10th in Shanghai: still running
    expect(await world.checks.closeDueCampaigns(world.clock.now())).toEqual([]);
    world.clock.set('2026-12-10T16:30:00Z'); // 00:30 on the 11th
    const [closed] = await world.checks.closeDueCampaigns(world.clock.now());
    expect(closed?.status).toBe('closed');
    expect(closed?.missing?.map((m) => m.head).sort()).toEqual(['刘春花', '李秀英', '王大山'].sort());
    expect((await world.checks.deps.campaigns.get(campaign._id))?.status).toBe('closed');
    const sent = texts(`checks:${campaign._id}:closed:430621101:chentownship`)!.join('\n');
    expect(sent).toContain('应查4户，已查1户，未查3户');
    expect(sent).toContain('桃源村2户（李秀英、王大山）');
    expect(texts(`checks:${campaign._id}:closed:430621101:liucounty`)).toBeDefined();
    // Closed: no more visits for it.
    expect(await says(WANG, ['排查'])).not.toContain('冬季集中排查');
  });

  it('a household already visited is picked by its name without a "记下了"; 1 takes the offered today; a cadre stuck is told how to go on', async () => {
    world.clock.set('2026-12-03T02:00:00Z');
    await says(WANG, QUIET_VISIT('张德福'));
    const picked = await says(ZHOU, ['排查', '张德福']);
    expect(picked).toContain('已查1户');
    expect(picked).not.toContain('记下了');
    expect(picked).toContain('开始走访：张德福');
    // "1. 今天" as the app lists it: 1 is today.
    expect(await says(ZHOU, ['上门', '1'])).toContain('三保障及饮水安全');
    // Three answers that do not fit: the staff wording, not the household's (family, hotline, 人工).
    const stuck = await says(ZHOU, ['返回', '下周', '下周', '下周']);
    expect(stuck).toContain("这一题好像不好填：回复“帮助”看这一题怎么答，回复“返回”改上一题");
    expect(stuck).not.toContain('请家人帮忙');
  });

  it('namesakes in one place are told apart on the list by the ID number’s last four characters', async () => {
    const more = await world.checks.registerImport.importCsv('户主姓名,身份证号,村,组,类别\n刘春花,430621199003031239,柳塘村,一组,大病重病', ['430621'], 'admin-token', world.clock.now());
    expect(more).toMatchObject({ ok: true, created: 1 });
    const sun: Address = { channel: 'app', userId: 'suncadre' };
    const out: Outbound[] = [];
    for (const text of ['排查']) out.push(...(await world.say(sun, text)));
    const list = out.find((m) => m.type === 'choices');
    expect(list?.type === 'choices' && list.choices.map((c) => c.label)).toEqual(['刘春花（柳塘村一组，身份证尾号4568）', '刘春花（柳塘村一组，身份证尾号1239）', '下一户']);
  });

  it('a new risk noted again on a household whose lead is still being identified says so (not "monitored")', async () => {
    world.clock.set('2026-12-03T02:00:00Z');
    const afterLead = await says(WANG, LEAD_VISIT);
    const caseNumber = /案件(\d{8}-\d{4})/.exec(afterLead)![1]!;
    const again = await says(ZHOU, ['排查', '王大山', '上门看过，没有变化']);
    expect(again).toContain(`该户已有在办的案件${caseNumber}（还在识别中）`);
    expect(again).not.toContain('已在监测中');
  });

  it('a cadre records visits only in their own villages: a form for a household elsewhere is refused and writes nothing', async () => {
    const zhao = world.checks.deps.org.findStaff('zhaocadre')!;
    const [household] = await world.checks.deps.register.inVillages(['430621101201']);
    const start = await world.checks.service.recorder.prepare(zhao, { kind: 'monthly', month: '2026-11' }, household!._id, 'zh-CN', world.clock.now());
    expect(start).toEqual({ say: ['青山镇桃源村不在您负责的范围内，不能记录这户的走访。'] });
    const answers = { checkTask: 'monthly-2026-11', householdKey: household!._id, channel: 'home', visitDate: '2026-11-22', newRisks: ['none'] };
    expect(await world.checks.service.recorder.record(zhao, answers, 'zh-CN', world.clock.now(), 'in-forged')).toContain('不在您负责的范围内');
    expect(await new VisitRepository(world.docs).visits.count({})).toBe(0);
  });

  it('keeps findings, notes and ID numbers out of the files a database dump would hold, and out of the logs', async () => {
    world.clock.set('2026-12-03T02:00:00Z');
    await says(WANG, LEAD_VISIT);
    const dump = readdirSync(world.dataDir).map((f) => readFileSync(join(world.dataDir, f), 'utf8')).join('\n');
    for (const secret of ['430621195805121238', '430621197008153455', '老伴住院花了很多钱', '13812345678', 'incomeSource']) {
      expect(dump).not.toContain(secret);
      expect(world.logs.join('\n')).not.toContain(secret);
    }
    expect(dump).toContain('"newRisks":["illness"]');
  });
});
