import { describe, expect, it } from 'vitest';
import { idNumberCheckChar } from '../../src/engine/validators/id-number.js';
import { createTexts } from '../../src/i18n/i18n.js';
import { ChatPage, skipBrowserTests } from './chat-page.js';
import { pageWorld } from './page-world.js';

const ID_FIRST17 = '43062119580512123';
const ID_NUMBER = `${ID_FIRST17}${idNumberCheckChar(ID_FIRST17)}`;
const texts = createTexts();

/** `2026年12月7日` as a day count, to say how many days lie between two dates the page shows. */
function dayNumber(label: string): number {
  const m = /(\d{4})年(\d{1,2})月(\d{1,2})日/.exec(label);
  if (!m) throw new Error(`not a date: ${label}`);
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) / 86_400_000;
}

/**
 * Issue 10: a newcomer walks one whole case by hand on /simulator (local mode, as `npm start` runs it), in the
 * order of test/fixtures/conversations/case-to-monitoring.chat: the household declares, each staff member of
 * the demo org takes their step from the identity list, and the page's 快进 moves simulated time past the
 * village public notice.
 */
describe.skipIf(skipBrowserTests)('a whole case on the /simulator page, declaration to registration', () => {
  const world = pageWorld();

  it('张大爷 declares; the township, the cadre, the secretary and the county each take their step; 快进 passes the 公示; the case is registered', async () => {
    const page = await world.phonePage();
    page.setDefaultTimeout(15_000);
    const chat = new ChatPage(page);
    try {
      await chat.open(world.server().baseUrl);

      // 张大爷 declares on 微信客服, typing and tapping as on his phone.
      await chat.become('张大爷');
      await chat.expectReply(await chat.say('申报'), '请告诉我户主的姓名');
      await chat.expectReply(await chat.say('张德福'), '请发来户主的身份证号');
      await chat.expectReply(await chat.say(ID_NUMBER), '请发来能联系到您的手机号');
      await chat.expectReply(await chat.say('13812345678'), '请选择您家所在的乡镇');
      await chat.expectReply(await chat.tap('请选择您家所在的乡镇', '1. 青山镇'), '请选择您家所在的村');
      await chat.expectReply(await chat.tap('请选择您家所在的村', '1. 桃源村'), '请选择您家所在的村民小组');
      await chat.expectReply(await chat.tap('请选择您家所在的村民小组', '1. 一组'), '您家一共几口人');
      await chat.expectReply(await chat.say('3'), '您家遇到了哪些困难');
      await chat.expectReply(await chat.say('老伴生病住院了，花了好多钱'), '下面这些情况，您家有没有');
      await chat.expectReply(await chat.tap('下面这些情况，您家有没有', '6. 都没有'), '请用自己的话说说家里的困难');
      await chat.expectReply(await chat.say('老伴去年查出尿毒症，每周透析三次'), '已记下');
      await chat.expectReply(await chat.tap('老伴去年查出尿毒症', '说完了'), '承诺：本人及家庭成员');
      await chat.expectReply(await chat.tap('承诺：本人及家庭成员', '1. 是'), '授权：同意有关部门');
      await chat.expectReply(await chat.tap('授权：同意有关部门', '1. 是'), '请核对您填写的内容');
      const declared = await chat.expectReply(await chat.say('1'), '申报已提交');
      const caseNumber = /案件编号：(\d{8}-\d{4})/.exec(declared)?.[1];
      expect(caseNumber, declared).toBeDefined();
      const recorded = (step: string, stage: string) => `已记录：${caseNumber}（张德福）${step}。现在：${stage}。`;

      // The township accepts the lead on the card that came to it.
      await chat.become('陈镇长');
      await chat.expectReply(await chat.tapCard('受理线索', '受理'), recorded('受理', '待入户核实'));
      expect(await chat.expectCardDone('受理线索')).toEqual({ label: expect.stringMatching(/^已受理 · 陈镇长/), buttons: 0 });

      // The village cadre finds the home visit in 我的待办 and fills it in as people type.
      await chat.become('王建国');
      await chat.expectReply(await chat.say('我的待办'), '入户核实');
      await chat.expectReply(await chat.tapCard('入户核实', '开始填写'), '哪天上门核实的');
      await chat.expectReply(await chat.say('今天'), '还有谁一起上门');
      await chat.expectReply(await chat.say('第一个'), '“三保障”和饮水安全方面存在哪些问题');
      await chat.expectReply(await chat.say('不变'), '存在哪些返贫致贫风险');
      await chat.expectReply(await chat.say('对'), '核实的家庭人口是几人');
      await chat.expectReply(await chat.say('３'), '家庭年人均纯收入是多少元');
      await chat.expectReply(await chat.say('两千五'), '记为2500元');
      await chat.expectReply(await chat.say('弱劳动力'), '该户是否已是下列对象');
      await chat.expectReply(await chat.say('都不是'), '简要情况说明');
      await chat.expectReply(await chat.say('老伴透析，儿子打零工'), '核实结论');
      const review = await chat.expectReply(await chat.say('1'), '请核对入户核实情况');
      expect(review).toContain('同行核实人员：周志强');
      expect(review).toContain('家庭人口：3');
      expect(review).toContain('年人均纯收入（元）：2500');
      await chat.expectReply(await chat.say('没问题，提交吧'), recorded('入户核实', '待民主评议'));
      expect((await chat.expectCardDone('入户核实')).buttons).toBe(0);

      // The village secretary confirms the appraisal: the public notice starts.
      await chat.become('李书记');
      const notice = await chat.expectReply(await chat.tapCard('民主评议结果确认', '同意'), recorded('同意', '公示中'));
      expect((await chat.expectCardDone('民主评议结果确认')).label).toMatch(/^已同意 · 李书记/);
      const noticeEnds = /公示至(\d{4}年\d{1,2}月\d{1,2}日)/.exec(notice)?.[1];
      expect(noticeEnds, notice).toBeDefined();

      // The county records the cross-check (Hunan checks during the notice).
      await chat.become('刘局长');
      await chat.expectReply(await chat.tapCard('信息比对结果', '无异常'), recorded('无异常', '公示中'));
      expect((await chat.expectCardDone('信息比对结果')).label).toMatch(/^比对无异常 · 刘局长/);

      // The notice cannot be closed before its last day; 快进 to the day before, then one more day.
      // The 我的待办 list itself (a reminder digest 快进 brings names the same step).
      const todoWith = async (since: number, step: string) => {
        const list = await chat.expectReply(since, /项待办（按截止日期排列）/);
        expect(list).toContain(step);
        return list;
      };
      const today = await chat.simulatedDate();
      const daysLeft = dayNumber(noticeEnds!) - dayNumber(today);
      expect(daysLeft).toBeGreaterThanOrEqual(2);
      await chat.become('王建国');
      expect(await todoWith(await chat.say('我的待办'), '结束公示')).toContain(`${noticeEnds}起可办`);
      expect(dayNumber(await chat.advanceDays(daysLeft - 1)) - dayNumber(today)).toBe(daysLeft - 1);
      // The jump shows in the chat where it happened.
      await page.locator('li.clock-jump', { hasText: `时间快进${daysLeft - 1}天` }).waitFor();
      expect(await todoWith(await chat.say('我的待办'), '结束公示')).toContain('起可办');
      expect(await chat.advanceDays(1)).toBe(noticeEnds);
      expect(await page.locator('#clock-ahead').textContent()).toBe(`（已快进${daysLeft}天）`);
      const todo = await todoWith(await chat.say('我的待办'), '结束公示');
      expect(todo).not.toContain('起可办');
      await chat.expectReply(await chat.tapCard('结束公示', '结束公示'), recorded('结束公示', '待乡镇审核'));
      expect((await chat.expectCardDone('结束公示')).buttons).toBe(0);

      // 张大爷 asks how it is going (which also lets the bot write to him again on 微信客服 for 48 hours).
      await chat.become('张大爷');
      await chat.expectReply(await chat.say('进度'), texts.t('zh-CN', 'cases:stage.townshipReview'));

      await chat.become('陈镇长');
      await chat.expectReply(await chat.tapCard('乡镇审核', '同意'), recorded('同意', '待县级审定'));
      expect((await chat.expectCardDone('乡镇审核')).label).toMatch(/^已同意 · 陈镇长/);

      await chat.become('刘局长');
      await chat.expectReply(await chat.tapCard('县级审定', '同意'), recorded('同意', '已认定，待录入建档'));
      expect((await chat.expectCardDone('县级审定')).label).toMatch(/^已同意 · 刘局长/);

      // The household is told it was identified, in its own chat.
      await chat.become('张大爷');
      const told = texts.t('zh-CN', 'cases:household.identified', { caseNumber: caseNumber!, identifiedOn: noticeEnds! });
      await chat.expectReply(0, told.split('\n')[0]!);

      // The secretary registers the household with its monitoring contacts, by the form.
      await chat.become('李书记');
      await chat.expectReply(await chat.tapCard('录入建档', '开始填写'), '请选择监测联系人');
      const contacts = await chat.expectReply(await chat.say('不变'), '请确认建档信息');
      expect(contacts).toContain('监测联系人：王建国、周志强');
      await chat.expectReply(await chat.say('没问题，提交吧'), recorded('录入建档、确定监测联系人', '已建档，待制定帮扶措施'));
      expect((await chat.expectCardDone('录入建档')).buttons).toBe(0);

      // 张大爷 reads that his household is registered for monitoring and help.
      await chat.become('张大爷');
      await chat.expectReply(await chat.say('进度'), texts.t('zh-CN', 'cases:stage.registered'));
    } catch (err) {
      throw world.failure(err);
    } finally {
      await page.close();
    }
  }, 300_000);
});
