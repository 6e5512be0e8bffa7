import { describe, expect, it } from 'vitest';
import { idNumberCheckChar } from '../../src/engine/validators/id-number.js';
import { ChatPage, skipBrowserTests } from './chat-page.js';
import { pageWorld } from './page-world.js';

/** 张大爷's ID number, born 1958-05-12 in 示范县, with a valid GB 11643 check character. */
const ID_FIRST17 = '43062119580512123';
const ID_NUMBER = `${ID_FIRST17}${idNumberCheckChar(ID_FIRST17)}`;
const ID_MASKED = `4306**********${ID_NUMBER.slice(14)}`;

describe.skipIf(skipBrowserTests)('self-declaration on the /simulator page (flows/declaration.yaml)', () => {
  const world = pageWorld();

  it('张大爷 declares a hardship through 微信客服, tapping the menus, and gets a case number', async () => {
    const page = await world.phonePage();
    const chat = new ChatPage(page);
    /** The bot never shows the ID number unmasked (the household's own bubble holds what they typed). */
    const expectIdNeverUnmasked = async () => {
      for (const text of await chat.botTexts()) expect(text).not.toContain(ID_NUMBER);
      expect((await page.locator('body').innerText()).split(ID_NUMBER)).toHaveLength(2);
    };
    try {
      await chat.open(world.server().baseUrl);
      await chat.become('张大爷');

      await chat.expectReply(await chat.say('申报'), '请告诉我户主的姓名');
      await chat.expectReply(await chat.say('张德福'), '请发来户主的身份证号');

      const since = await chat.say(ID_NUMBER);
      expect(await chat.expectReply(since, '收到，身份证号')).toContain(ID_MASKED);
      await chat.expectReply(since, '请发来能联系到您的手机号');
      await expectIdNeverUnmasked();

      await chat.expectReply(await chat.say('13812345678'), '请选择您家所在的乡镇');
      await chat.expectReply(await chat.tap('请选择您家所在的乡镇', '1. 青山镇'), '请选择您家所在的村');
      await chat.expectReply(await chat.tap('请选择您家所在的村', '1. 桃源村'), '请选择您家所在的村民小组');
      await chat.expectReply(await chat.tap('请选择您家所在的村民小组', '1. 一组'), '您家一共几口人');
      await chat.expectReply(await chat.say('3'), '您家遇到了哪些困难');
      await chat.expectReply(await chat.say('1,3'), '下面这些情况，您家有没有');
      await chat.expectReply(await chat.tap('下面这些情况，您家有没有', '6. 都没有'), '请用自己的话说说家里的困难');
      await chat.expectReply(await chat.say('老伴今年生了重病住院，每月药费两千多，'), '已记下');
      await chat.expectReply(await chat.say('家里只靠我种地收入。'), '已记下');
      await chat.expectReply(await chat.tap('家里只靠我种地收入', '说完了'), '承诺：本人及家庭成员');
      await chat.expectReply(await chat.tap('承诺：本人及家庭成员', '1. 是'), '授权：同意有关部门');
      const review = await chat.expectReply(await chat.tap('授权：同意有关部门', '1. 是'), '请核对您填写的内容');
      expect(review).toContain('张德福');
      expect(review).toContain(ID_MASKED);

      const done = await chat.expectReply(await chat.say('1'), /编号/);
      expect(done).toMatch(/编号\D{0,6}[0-9][0-9-]*/);
      await expectIdNeverUnmasked();
    } catch (err) {
      throw world.failure(err);
    } finally {
      await page.close();
    }
  }, 120_000);
});
