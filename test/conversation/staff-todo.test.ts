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
      ['王建国，您有 1 项待办（按截止日期排列）：', '1. 20261122-0001 张德福（桃源村）：入户核实，截止2026年12月7日', '其中 1 项可以直接在下面的卡片上办理。'].join('\n'),
    ]);
    expect(cardsOf(out).map((c) => [c.main_title.title, c.button_list.map((b) => b.text)])).toEqual([['入户核实', ['开始填写']]]);
  });

  it('a township reviewer sees the villages of their township only, with a card for each yes/no decision', async () => {
    await threeLeads();
    const out = await say('chentownship', '待办');
    expect(textsOf(out)).toEqual([
      [
        '陈镇长，您有 2 项待办（按截止日期排列）：',
        '1. 20261122-0001 张德福（桃源村）：入户核实，截止2026年12月7日',
        '2. 20261122-0002 李桂兰（柳塘村）：受理线索，截止2026年12月7日',
        '其中 2 项可以直接在下面的卡片上办理。',
      ].join('\n'),
    ]);
    expect(cardsOf(out).map((c) => [c.main_title.title, c.main_title.desc])).toEqual([
      ['入户核实', '案件 20261122-0001'],
      ['受理线索', '案件 20261122-0002'],
    ]);
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
        '1. 20261122-0003 赵大山（石门村）：受理线索（代为办理：本地无人担任村支部书记、乡镇审核人），截止2026年12月7日',
        '其中 1 项可以直接在下面的卡片上办理。',
      ].join('\n'),
    ]);
    expect(cardsOf(county)[0]).toMatchObject({ main_title: { title: '受理线索', desc: '案件 20261122-0003' }, button_list: [{ text: '受理' }, { text: '不予受理' }] });
    expect(cardsOf(county)[0]!.horizontal_content_list).toContainEqual({ keyname: '代为办理', value: '本地无人担任村支部书记、乡镇审核人' });
    expect(textsOf(await say('admin', '我的待办'))).toEqual(['系统管理员，您目前没有待办事项。']);
  });

  it('marks what is past its due date as overdue', async () => {
    await threeLeads();
    world.clock.set('2026-12-08T02:00:00Z');
    expect(textsOf(await say('wangcadre', '我的待办'))[0]).toContain('1. 20261122-0001 张德福（桃源村）：入户核实，截止2026年12月7日，已逾期');
  });

  it('speaks English to a staff member who asked for it, one item or several', async () => {
    await threeLeads();
    await say('chentownship', 'english');
    const out = await say('chentownship', 'todo');
    expect(textsOf(out)[0]).toContain('陈镇长, you have 2 pending items (by due date):\n1. 20261122-0001 张德福 (桃源村): home verification, due 7 Dec 2026');
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
    expect(text.split('\n').at(-1)).toBe('其中 2 项可以直接在下面的卡片上办理。');
    expect(text).not.toMatch(/其余|不能在助手里登记/);
  });

  it('is a staff command only: a household typing 待办 gets the household help', async () => {
    const out = await world.say(HOUSEHOLD, '待办');
    expect(textsOf(out)[0]).toContain('回复“申报”开始');
  });
});
