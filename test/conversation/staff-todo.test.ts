import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Outbound } from '../../src/channel/messages.js';
import { answers, casesOn, HOUSEHOLD, type Cases } from '../helpers/case-world.js';
import { openChatWorld, type ChatWorld } from '../helpers/chat-script.js';

/** 桃源村 and 柳塘村 are in 青山镇, 石门村 in 白水乡. */
const TAOYUAN = { township: '430621101', village: '430621101201', group: '430621101201-01' };
const LIUTANG = { township: '430621101', village: '430621101202', group: '430621101202-01' };
const SHIMEN = { township: '430621102', village: '430621102201', group: '430621102201-01' };

let world: ChatWorld;
let cases: Cases;
beforeEach(async () => {
  world = await openChatWorld();
  cases = await casesOn(world.docs);
});
afterEach(async () => world.close());

async function say(userId: string, text: string): Promise<Outbound[]> {
  return world.say({ channel: 'app', userId }, text);
}
const textsOf = (out: Outbound[]) => out.flatMap((m) => (m.type === 'text' ? [m.text] : []));
const cardsOf = (out: Outbound[]) => out.flatMap((m) => (m.type === 'card' ? [m.card] : []));

/** Three leads: 桃源村 (accepted, so waiting for the home visit), 柳塘村 and 石门村 (waiting to be accepted). */
async function threeLeads(): Promise<void> {
  const now = world.clock.now();
  const taoyuan = await cases.declarations.declare(answers(TAOYUAN), HOUSEHOLD, now);
  await cases.declarations.declare(answers({ ...LIUTANG, householdHead: '李桂兰', idNumber: '430621196203041111' }), { ...HOUSEHOLD, externalUserId: 'wmLiutang' }, now);
  await cases.declarations.declare(answers({ ...SHIMEN, householdHead: '赵大山', idNumber: '430621197001012222' }), { ...HOUSEHOLD, externalUserId: 'wmShimen' }, now);
  const accepted = await cases.cases.decide({ caseId: taoyuan.record._id, action: { type: 'acceptLead', caseVersion: 1 }, userId: 'chentownship', now });
  expect(accepted.ok).toBe(true);
}

describe('我的待办', () => {
  it('a village cadre sees only the work of their village, by due date, with a card that starts the home visit form', async () => {
    await threeLeads();
    const out = await say('wangcadre', '我的待办');
    expect(textsOf(out)).toEqual([
      [
        '王建国，您有 1 项待办（按截止日期排列）：',
        '1. 20261122-0001 张德福（桃源村）：入户核实，截止2026年12月7日（识别时限15天）',
        '其中 1 项可以直接在下面的卡片上办理。',
        '回复序号（如“1”）办理其中一项。',
      ].join('\n'),
    ]);
    expect(cardsOf(out).map((c) => [c.main_title.title, c.button_list.map((b) => b.text)])).toEqual([['入户核实', ['开始填写']]]);
  });

  it('a township reviewer sees the villages of their township only, with a card for each yes/no decision', async () => {
    await threeLeads();
    const out = await say('chentownship', '待办');
    expect(textsOf(out)).toEqual([
      [
        '陈镇长，您有 2 项待办（按截止日期排列）：',
        '1. 20261122-0001 张德福（桃源村）：入户核实，截止2026年12月7日（识别时限15天）',
        '2. 20261122-0002 李桂兰（柳塘村）：受理线索，截止2026年12月7日（识别时限15天）',
        '其中 2 项可以直接在下面的卡片上办理。',
        '回复序号（如“1”）办理其中一项。',
      ].join('\n'),
    ]);
    expect(cardsOf(out).map((c) => [c.main_title.title, c.main_title.desc])).toEqual([
      ['入户核实', '案件 20261122-0001'],
      ['受理线索', '案件 20261122-0002'],
    ]);
    // The card names the limit the step runs against, as the list does.
    expect(cardsOf(out)[1]!.horizontal_content_list).toContainEqual({ keyname: '截止', value: '2026年12月7日（识别时限15天）' });
    expect(JSON.stringify(out)).not.toContain('石门村');
  });

  it('someone with nothing in their area is told so; the county has only what nobody in the village or township may take, as a stand-in', async () => {
    await threeLeads();
    expect(textsOf(await say('zhaocadre', 'todo'))).toEqual(['赵红梅，您目前没有待办事项。']);
    // 石门村 has no secretary and 白水乡 no reviewer: its lead is the county's, and says why.
    const county = await say('liucounty', '我的待办');
    expect(textsOf(county)).toEqual([
      [
        '刘局长，您有 1 项待办（按截止日期排列）：',
        '1. 20261122-0003 赵大山（石门村）：受理线索（代为办理：本地无人担任村支部书记、乡镇审核人），截止2026年12月7日（识别时限15天）',
        '其中 1 项可以直接在下面的卡片上办理。',
        '回复序号（如“1”）办理其中一项。',
      ].join('\n'),
    ]);
    expect(cardsOf(county)[0]).toMatchObject({ main_title: { title: '受理线索', desc: '案件 20261122-0003' }, button_list: [{ text: '受理' }, { text: '不予受理' }] });
    expect(cardsOf(county)[0]!.horizontal_content_list).toContainEqual({ keyname: '代为办理', value: '本地无人担任村支部书记、乡镇审核人' });
    expect(textsOf(await say('admin', '我的待办'))).toEqual(['系统管理员，您目前没有待办事项。']);
  });

  it('marks what is past its due date as overdue', async () => {
    await threeLeads();
    world.clock.set('2026-12-08T02:00:00Z');
    expect(textsOf(await say('wangcadre', '我的待办'))[0]).toContain('1. 20261122-0001 张德福（桃源村）：入户核实，截止2026年12月7日（识别时限15天），已逾期');
  });

  it('speaks English to a staff member who asked for it, one item or several', async () => {
    await threeLeads();
    await say('chentownship', 'english');
    const out = await say('chentownship', 'todo');
    expect(textsOf(out)[0]).toContain(
      '陈镇长, you have 2 pending items (by due date):\n1. 20261122-0001 张德福 (桃源村): home verification, due 7 Dec 2026 (identification within 15 days)',
    );
    expect(textsOf(out)[0]).toContain('\n2 of them can be decided on the cards below.');
    expect(cardsOf(out)[1]).toMatchObject({ main_title: { title: 'Accept the lead' }, button_list: [{ text: 'Accept' }, { text: 'Refuse' }] });

    await say('wangcadre', 'english');
    const one = textsOf(await say('wangcadre', 'my tasks'))[0]!;
    expect(one).toMatch(/^王建国, you have 1 pending item:\n/);
    expect(one).not.toMatch(/1 pending items|1 items/);
  });

  it('says nothing about items without a card when every item has one', async () => {
    const now = world.clock.now();
    await cases.declarations.declare(answers({ ...LIUTANG, householdHead: '李桂兰', idNumber: '430621196203041111' }), { ...HOUSEHOLD, externalUserId: 'wmLiutang' }, now);
    await cases.declarations.declare(answers({ ...TAOYUAN, householdHead: '张德福' }), HOUSEHOLD, now);
    const text = textsOf(await say('chentownship', '我的待办'))[0]!;
    expect(text.split('\n').at(-2)).toBe('其中 2 项可以直接在下面的卡片上办理。');
    expect(text).not.toMatch(/其余|不能在助手里登记/);
  });

  it('shows every item a page at a time, and a number typed next takes that item up', async () => {
    const now = world.clock.now();
    for (let i = 1; i <= 23; i++) {
      const id = `430621196203${String(10000 + i).padStart(6, '0')}`;
      await cases.declarations.declare(answers({ ...LIUTANG, householdHead: `李${i}`, idNumber: id }), { ...HOUSEHOLD, externalUserId: `wmLiutang${i}` }, now);
    }
    const first = await say('chentownship', '我的待办');
    const page1 = textsOf(first)[0]!;
    expect(page1).toContain('您有 23 项待办');
    expect(page1).toContain('\n10. 20261122-0010 李10（柳塘村）：受理线索');
    expect(page1).not.toContain('\n11. ');
    expect(page1).toContain('这是第1–10项，共23项；回复“下一页”看后面的。');
    expect(cardsOf(first)).toHaveLength(5);
    expect(page1).toContain('本页另有 5 项可在卡片上办理，回复它的序号即可收到卡片。');

    const page2 = textsOf(await say('chentownship', '下一页'))[0]!;
    expect(page2).toContain('\n11. 20261122-0011 李11（柳塘村）');
    expect(page2).toContain('\n20. ');
    const page3 = textsOf(await say('chentownship', '下一页'))[0]!;
    expect(page3).toContain('\n23. 20261122-0023 李23（柳塘村）');
    expect(page3).toContain('这是第21–23项（最后一页），共23项；回复“上一页”看前面的。');
    expect(textsOf(await say('chentownship', '上一页'))[0]).toContain('\n11. ');

    // "第十二项", "１２" or "12": the item's own card, whichever page it was on.
    const twelve = await say('chentownship', '第十二项');
    expect(cardsOf(twelve).map((c) => [c.main_title.title, c.main_title.desc])).toEqual([['受理线索', '案件 20261122-0012']]);
    expect(cardsOf(await say('chentownship', '１２'))).toHaveLength(1);
    expect(textsOf(await say('chentownship', '30'))).toEqual(['待办清单里没有第30项。回复“待办”查看最新清单。']);

    // Someone else took item 12 meanwhile: said so, not a stale card.
    const twelfth = (await cases.repo.inVillages([LIUTANG.village], ['lead'])).find((r) => r.caseNumber === '20261122-0012')!;
    expect((await cases.cases.decide({ caseId: twelfth._id, action: { type: 'acceptLead', caseVersion: 1 }, userId: 'chentownship', now })).ok).toBe(true);
    expect(textsOf(await say('chentownship', '12'))).toEqual(['第12项（案件 20261122-0012）已有新进展，可能已由他人办理。回复“待办”查看最新清单。']);
  });

  it('a number takes up a form item; inside a form, 办N does, and the form is kept', async () => {
    await threeLeads();
    const now = world.clock.now();
    await cases.declarations.declare(answers({ ...TAOYUAN, householdHead: '钱二', idNumber: '430621196203040000' }), { ...HOUSEHOLD, externalUserId: 'wmQian' }, now);
    await say('chentownship', '我的待办');
    const started = textsOf(await say('chentownship', '1')).join('\n');
    expect(started).toContain('20261122-0001');
    expect(started).toContain('入户核实');
    const list = textsOf(await say('chentownship', '待办')).join('\n');
    expect(list).toContain('要办理其中一项请回复“办1”这样的格式');
    // A bare number now answers the form, so 办3 is how to reach item 3 (李桂兰's lead, a card).
    const three = await say('chentownship', '办3');
    expect(cardsOf(three).map((c) => c.main_title.desc)).toEqual(['案件 20261122-0004']);
  });

  it('is a staff command only: a household typing 待办 gets the household help', async () => {
    const out = await world.say(HOUSEHOLD, '待办');
    expect(textsOf(out)[0]).toContain('回复“申报”开始');
  });
});
