import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Outbound } from '../../src/channel/messages.js';
import type { ButtonCard } from '../../src/wecom/api.js';
import { answers, casesOn, HOUSEHOLD, type Cases } from '../helpers/case-world.js';
import { openChatWorld, type ChatWorld } from '../helpers/chat-script.js';
import { visit } from '../procedure/harness.js';

let world: ChatWorld;
let cases: Cases;
let codes = 0;
beforeEach(async () => {
  world = await openChatWorld();
  cases = await casesOn(world.docs);
});
afterEach(async () => world.close());

const texts = (out: Outbound[]) => out.flatMap((m) => (m.type === 'text' ? [m.text] : []));
const say = (userId: string, text: string) => world.say({ channel: 'app', userId }, text);
const click = (userId: string, card: ButtonCard, eventKey: string, responseCode = `rc${++codes}`) =>
  world.click({ from: { channel: 'app', userId }, taskId: card.task_id, eventKey, responseCode });

/** Households of 桃源村 whose cases wait for the village appraisal; returns their case ids. */
async function atAppraisal(heads: string[]): Promise<string[]> {
  const now = world.clock.now();
  const ids: string[] = [];
  for (const [i, head] of heads.entries()) {
    const { record } = await cases.declarations.declare(answers({ householdHead: head, idNumber: `43062119800101${1000 + i}` }), { ...HOUSEHOLD, externalUserId: `wm${i}` }, now);
    for (const [userId, action] of [['chentownship', { type: 'acceptLead' }], ['wangcadre', visit]] as const) {
      const current = (await cases.repo.get(record._id))!;
      const d = await cases.cases.decide({ caseId: record._id, action: { ...action, caseVersion: current.procedure.version }, userId, now });
      expect(d.ok).toBe(true);
    }
    ids.push(record._id);
  }
  return ids;
}

async function cardsFor(userId: string): Promise<ButtonCard[]> {
  return (await say(userId, '我的待办')).flatMap((m) => (m.type === 'card' ? [m.card] : []));
}

describe('decision cards in chat', () => {
  it('someone can be mid-way through two reasons: a reply starting with a case number goes to that case, a plain one to the other', async () => {
    const [first, second] = await atAppraisal(['张德福', '王秀英']);
    const [cardA, cardB] = await cardsFor('lisecretary');

    expect(texts(await click('lisecretary', cardA!, 'disagree', 'rcA'))[0]).toContain('请回复“不同意”的理由（案件 20261122-0001，户主 张德福）');
    const askedB = texts(await click('lisecretary', cardB!, 'disagree', 'rcB'));
    expect(askedB[0]).toContain('（案件 20261122-0002，户主 王秀英）');
    expect(askedB[1]).toBe('还在等您回复案件 20261122-0001 的理由；回复时请以案件编号开头，如“20261122-0001 理由……”。');

    const a = texts(await say('lisecretary', '20261122-0001 家中两人有稳定务工收入'));
    expect(a[0]).toContain('已记录：20261122-0001（张德福）不同意。现在：不予纳入，已结案。');
    expect(a[1]).toContain('还在等您回复案件 20261122-0002 的理由');
    const b = texts(await say('lisecretary', '人均纯收入高于监测范围'));
    expect(b).toHaveLength(1);
    expect(b[0]).toContain('已记录：20261122-0002（王秀英）不同意。');

    expect((await cases.repo.get(first!))!.procedure.rejection?.reasons).toEqual(['家中两人有稳定务工收入']);
    expect((await cases.repo.get(second!))!.procedure.rejection?.reasons).toEqual(['人均纯收入高于监测范围']);
    expect(world.cardUpdates.map((u) => [u.response_code, 'button' in u ? u.button.replace_name : ''])).toEqual([
      ['rcA', '不同意 · 李书记 11月22日 16:00'],
      ['rcB', '不同意 · 李书记 11月22日 16:00'],
    ]);
    // Each household is told its own reason.
    expect(world.notices.map((n) => [n.to, n.messages.map((m) => (m.type === 'text' ? m.text : '')).join('')])).toEqual([
      [{ ...HOUSEHOLD, externalUserId: 'wm0' }, expect.stringContaining('原因（原话）：「家中两人有稳定务工收入」')],
      [{ ...HOUSEHOLD, externalUserId: 'wm1' }, expect.stringContaining('原因（原话）：「人均纯收入高于监测范围」')],
    ]);
  });

  it('before a refusal reason is typed, the staff member is told the household will read it; a cross-check note, which stays with staff, is asked for plainly', async () => {
    await atAppraisal(['张德福']);
    const [appraisal] = await cardsFor('lisecretary');
    const refusing = texts(await click('lisecretary', appraisal!, 'disagree'));
    expect(refusing[0]).toContain('注意：这段理由会原话转给农户本人看，请直接对农户说明原因');
    expect(texts(await say('lisecretary', '取消'))[0]).toContain('已放弃');

    await click('lisecretary', appraisal!, 'agree');
    const crossCheck = (await cardsFor('liucounty')).find((c) => c.main_title.title === '信息比对结果');
    const noting = texts(await click('liucounty', crossCheck!, 'disagree'));
    expect(noting).toEqual(['请回复“有异常”的理由（案件 20261122-0001，户主 张德福），理由会记入档案。请不要写身份证号、手机号。回复“取消”可放弃，卡片仍可再点。']);
  });

  it('a reason holding a phone number is asked for again; 取消 drops it and the card still works', async () => {
    const [caseId] = await atAppraisal(['张德福']);
    const [card] = await cardsFor('lisecretary');
    await click('lisecretary', card!, 'disagree');
    expect(texts(await say('lisecretary', '户主电话13812345678，收入高'))).toEqual([
      '理由需在500字以内，且不能包含身份证号、手机号。请重新回复案件 20261122-0001 的理由。',
    ]);
    expect(texts(await say('lisecretary', '取消'))).toEqual(['已放弃案件 20261122-0001 的“不同意”，需要时可再次点击卡片。']);
    expect((await cases.repo.get(caseId!))!.procedure.stage).toBe('villageAppraisal');
    expect(world.cardUpdates).toEqual([]);
    // After cancelling, text is ordinary chat again, and the card can still be decided.
    expect(texts(await say('lisecretary', '你好'))[0]).toContain('李书记您好');
    expect(texts(await click('lisecretary', card!, 'agree'))[0]).toContain('同意。现在：公示中。');
  });

  it('我的待办 while a reason is awaited answers the list and reminds of the reason', async () => {
    await atAppraisal(['张德福']);
    const [card] = await cardsFor('lisecretary');
    await click('lisecretary', card!, 'disagree');
    const out = texts(await say('lisecretary', '待办'));
    expect(out[0]).toContain('李书记，您有 1 项待办');
    expect(out.at(-1)).toContain('还在等您回复案件 20261122-0001 的理由');
  });

  it('a card for a version the case has left is told it moved on and greyed out; a click by someone else is refused in plain words', async () => {
    const [caseId] = await atAppraisal(['张德福']);
    const [card] = await cardsFor('lisecretary');
    expect(texts(await click('wangcadre', card!, 'agree'))).toEqual([
      '案件 20261122-0001 未能办理：这一步需要由村支部书记办理，您的角色不能办理。请转交给相应人员；如您的角色登记有误，请联系管理员。',
    ]);
    expect(world.cardUpdates).toEqual([]);

    const current = (await cases.repo.get(caseId!))!;
    await cases.cases.decide({ caseId: caseId!, action: { type: 'reject', reasons: ['收入高于监测范围'], caseVersion: current.procedure.version }, userId: 'chentownship', now: world.clock.now() });
    expect(texts(await click('lisecretary', card!, 'agree', 'rcLate'))).toEqual([
      '案件 20261122-0001 已有新进展（可能已由他人办理），这张卡片不再有效。回复“待办”查看最新待办。',
    ]);
    expect(world.cardUpdates).toEqual([{ response_code: 'rcLate', userids: ['lisecretary'], button: { replace_name: '已失效 · 案件已有新进展' } }]);
  });

  it('a card this service did not make, or from someone not on the roster, gets the expired or unknown answer', async () => {
    expect(texts(await world.click({ from: { channel: 'app', userId: 'lisecretary' }, taskId: 'task1', eventKey: 'agree', responseCode: 'rc' }))[0]).toContain(
      '已经处理或已失效',
    );
    expect(texts(await world.click({ from: { channel: 'app', userId: 'stranger' }, taskId: 'task1', eventKey: 'agree', responseCode: 'rc' }))[0]).toContain(
      '系统里还没有您的工作人员信息',
    );
  });
});
