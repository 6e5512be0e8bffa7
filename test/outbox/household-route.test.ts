import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_ORG_FILE, loadOrgFile } from '../../src/org/org-file.js';
import { Org } from '../../src/org/org.js';
import { ManualClock } from '../../src/shared/clock.js';
import { FakeWeComState } from '../../src/simulator/fake-wecom-state.js';
import { casesOn, type Cases } from '../helpers/case-world.js';
import { householdSays, staffClicks, staffSays, type StaffReply } from '../helpers/staff-chat.js';
import { startTestService, TEST_NOW, type TestService } from '../helpers/test-app.js';
import { VECTOR_CRYPTO } from '../helpers/vectors.js';
import { visit } from '../procedure/harness.js';

/**
 * A household hears of a refusal on 微信客服 only within its reply window (48 h after its last message, 5
 * messages). After that the village's monitoring contacts are asked to pass it on, and the staff member who
 * refused is told which way it went; with no one to ask, it is held and waits in their 我的待办.
 */
const HOUSEHOLD = 'wmHousehold01';
const CASE_NUMBER = '20261122-0001';
/** 青山镇 › 桃源村 › 一组; the new village's answers come from `villageAnswers`. */
const declaration = (village = '1') => ['申报', '张德福', '430621195805121238', '13812345678', '1', village, '1', '3', '1', '6', '老伴尿毒症每周透析，每月自付两千多元。', '说完了', '是', '是', '1'];
const at = (date: string, time = '10:00') => new Date(`${date}T${time}:00+08:00`);
const REASON = '经民主评议，家庭人均纯收入明显高于监测范围';

const running: TestService[] = [];
afterEach(async () => {
  for (const svc of running.splice(0)) await svc.close();
});

async function start(org?: Org, env: Record<string, string> = {}): Promise<{ svc: TestService; cases: Cases }> {
  const clock = new ManualClock(TEST_NOW);
  const fake = new FakeWeComState({ corpId: VECTOR_CRYPTO.corpId, secret: 'test-app-secret' });
  fake.now = () => clock.now().getTime();
  const svc = await startTestService({ clock, fake, env, ...(org ? { org } : {}) });
  running.push(svc);
  return { svc, cases: await casesOn(svc.docs, org) };
}

async function cardFrom(svc: TestService, userId: string, title: string): Promise<StaffReply['cards'][number]> {
  const reply = await staffSays(svc, userId, '我的待办');
  const card = reply.cards.find((c) => c.main_title.title === title);
  if (!card) expect.fail(`${userId} got no "${title}" card: ${JSON.stringify(reply)}`);
  return card;
}

/** Declared, accepted by the township and visited: the village secretary's appraisal card is waiting. */
async function upToAppraisal(svc: TestService, cases: Cases): Promise<void> {
  for (const text of declaration()) await householdSays(svc, HOUSEHOLD, text);
  await staffClicks(svc, 'chentownship', await cardFrom(svc, 'chentownship', '受理线索'), 'agree');
  const c = (await cases.repo.byNumber(CASE_NUMBER))!;
  const d = await cases.cases.decide({ caseId: c._id, action: { ...visit, caseVersion: c.procedure.version }, userId: 'wangcadre', now: at('2026-11-23') });
  if (!d.ok) expect.fail(`home visit refused: ${d.reason}`);
}

/** The village secretary refuses the case at the appraisal, with a reason; returns what they were told. */
async function secretaryRefuses(svc: TestService): Promise<string[]> {
  await staffClicks(svc, 'lisecretary', await cardFrom(svc, 'lisecretary', '民主评议结果确认'), 'disagree');
  return (await staffSays(svc, 'lisecretary', REASON)).texts;
}

const kfTo = (svc: TestService, from: number) => svc.fake.kfSent.slice(from).filter((m) => m.touser === HOUSEHOLD);
const relays = (svc: TestService, from: number) =>
  svc.fake.appMessages.slice(from).filter((m) => m.msgtype === 'text' && (m.text as { content: string }).content.startsWith('请帮忙转告农户'));

describe('a household outcome, whichever way is open', () => {
  it('after the window closed, reaches the monitoring contacts in one send, and the confirmation names them', async () => {
    const { svc, cases } = await start();
    await upToAppraisal(svc, cases);
    // The household last wrote on 22 Nov at 16:00; on the 25th the window is long closed.
    svc.clock.set(at('2026-11-25'));
    const [kfBefore, appBefore] = [svc.fake.kfSent.length, svc.fake.appMessages.length];

    const told = await secretaryRefuses(svc);
    expect(told).toEqual([
      `已记录：${CASE_NUMBER}（张德福）不同意。现在：不予纳入，已结案。\n` +
        '农户近48小时没有在微信客服留言（或条数已用完），微信客服发不过去，结果已安排发给监测联系人王建国、周志强，请他们当面或电话转告农户。',
    ]);
    expect(kfTo(svc, kfBefore)).toEqual([]);
    // One send to both cadres of the village (no monitoring contacts yet): touser "wangcadre|zhoucadre".
    const relay = relays(svc, appBefore);
    expect(relay.map((m) => m.touser)).toEqual(['wangcadre|zhoucadre']);
    const text = (relay[0]!.text as { content: string }).content;
    expect(text).toContain('张德福（青山镇桃源村一组，案件 20261122-0001）');
    expect(text).toContain(`「${REASON}」`);
    expect(text).toContain('可以向青山镇申请复核');
    expect(text).not.toMatch(/430621195805121238|13812345678/);

    const [record] = await svc.built.outboxStore.find({ purpose: 'householdOutcome' });
    expect(record).toMatchObject({ status: 'sent', route: 'monitoringContact', sender: 'lisecretary', recipient: `kf:wkFpfpHelpDesk01:${HOUSEHOLD}` });
  });

  it('while the window is open, goes on 微信客服 and the confirmation says so', async () => {
    const { svc, cases } = await start();
    await upToAppraisal(svc, cases);
    svc.clock.set(at('2026-11-24'));
    const [kfBefore, appBefore] = [svc.fake.kfSent.length, svc.fake.appMessages.length];
    expect(await secretaryRefuses(svc)).toEqual([`已记录：${CASE_NUMBER}（张德福）不同意。现在：不予纳入，已结案。\n结果已安排通过微信客服发给农户。`]);
    expect(kfTo(svc, kfBefore)).toHaveLength(1);
    expect(relays(svc, appBefore)).toEqual([]);
  });

  it('while WeCom refuses every send, the staff member is told the result is on its way, never that it reached the household', async () => {
    const { svc, cases } = await start(undefined, { OUTBOX_RETRY_BASE_MS: '50' });
    await upToAppraisal(svc, cases);
    svc.clock.set(at('2026-11-24'));
    svc.fake.failHttpNext('kf/send_msg', 500, 2);
    svc.fake.failNext('kf/send_msg', -1, 2);
    const kfBefore = svc.fake.kfSent.length;
    const told = (await secretaryRefuses(svc)).join('\n');
    expect(told).toContain('结果已安排通过微信客服发给农户。');
    expect(told).not.toMatch(/已通过微信客服发给|已发给农户|已告知农户/);
    expect(kfTo(svc, kfBefore)).toEqual([]);
    const [record] = await svc.built.outboxStore.find({ purpose: 'householdOutcome' });
    expect(record?.status).not.toBe('sent');
    // WeCom comes back: the household gets it then, once.
    await expect
      .poll(() => {
        svc.clock.advance(5_000);
        return kfTo(svc, kfBefore).length;
      }, { timeout: 10_000, interval: 200 })
      .toBe(1);
    await svc.built.settled();
    expect(kfTo(svc, kfBefore)).toHaveLength(1);
  });

  it('when the window closes between the decision and the send, the worker asks the contacts instead', async () => {
    const { svc, cases } = await start(undefined, { OUTBOX_RETRY_BASE_MS: '800' });
    await upToAppraisal(svc, cases);
    svc.clock.set(at('2026-11-24'));
    // WeCom is busy when the result first goes out; by its next try the household's window has closed.
    svc.fake.failNext('kf/send_msg', -1, 3);
    const [kfBefore, appBefore] = [svc.fake.kfSent.length, svc.fake.appMessages.length];
    expect((await secretaryRefuses(svc)).join('\n')).toContain('结果已安排通过微信客服发给农户。');
    expect(relays(svc, appBefore)).toEqual([]);

    svc.clock.set(at('2026-11-25'));
    await svc.built.settled();
    await expect.poll(() => relays(svc, appBefore).map((m) => m.touser), { timeout: 10_000 }).toEqual(['wangcadre|zhoucadre']);
    expect(kfTo(svc, kfBefore)).toEqual([]);
    const [record] = await svc.built.outboxStore.find({ purpose: 'householdOutcome' });
    expect(record).toMatchObject({ status: 'sent', route: 'monitoringContact' });
  });

  it('with no way at all, is held (not dropped) and waits in the sender\'s 我的待办', async () => {
    // A village with a group but no cadre; 陈镇长 of its township takes its leads.
    const demo = loadOrgFile(DEMO_ORG_FILE).file;
    const org = new Org({
      ...demo,
      county: {
        ...demo.county,
        townships: demo.county.townships.map((t) =>
          t.code === '430621101' ? { ...t, villages: [...t.villages, { code: '430621101203', name: '新村', groups: [{ code: '430621101203-01', name: '一组' }] }] } : t,
        ),
      },
    });
    const { svc } = await start(org);
    for (const text of declaration('3')) await householdSays(svc, HOUSEHOLD, text);
    svc.clock.set(at('2026-11-25'));
    await staffClicks(svc, 'chentownship', await cardFrom(svc, 'chentownship', '受理线索'), 'disagree');
    const told = await staffSays(svc, 'chentownship', '家庭人均纯收入明显高于监测范围');
    expect(told.texts.join('\n')).toContain('结果暂未送达，已列入您的待办，请当面或电话告知农户。');

    const [record] = await svc.built.outboxStore.find({ purpose: 'householdOutcome' });
    expect(record).toMatchObject({ status: 'held', route: 'none', sender: 'chentownship', reason: 'kf_window_closed' });
    const todo = await staffSays(svc, 'chentownship', '我的待办');
    expect(todo.texts[0]).toBe(
      ['陈镇长，您目前没有待办事项。', '以下结果未能送达农户（微信客服已关闭，也没有可转告的人），请当面或电话告知：', `· ${CASE_NUMBER} 张德福（新村），2026年11月25日的结果`].join('\n'),
    );
    const held = await fetch(`${svc.baseUrl}/admin/outbox?status=held`, { headers: { authorization: 'Bearer test-admin-token-0123456789' } });
    expect(((await held.json()) as { items: unknown[] }).items).toEqual([expect.objectContaining({ purpose: 'householdOutcome', reason: 'kf_window_closed', status: 'held', route: 'none' })]);

    // A day later the household writes again: its window is open, and the held result goes to it first.
    svc.clock.set(at('2026-11-26'));
    const kfBefore = svc.fake.kfSent.length;
    await householdSays(svc, HOUSEHOLD, '你好');
    await svc.built.settled();
    const toHousehold = kfTo(svc, kfBefore).map((m) => (m.text as { content: string } | undefined)?.content ?? '');
    expect(toHousehold[0]).toContain('家庭人均纯收入明显高于监测范围');
    expect(toHousehold.length).toBeGreaterThan(1); // and then the answer to what it wrote
    expect((await svc.built.outboxStore.find({ purpose: 'householdOutcome' }))[0]).toMatchObject({ status: 'sent', route: 'kf' });
    expect((await staffSays(svc, 'chentownship', '我的待办')).texts[0]).toBe('陈镇长，您目前没有待办事项。');
  });
});
