import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ChatPage, skipBrowserTests } from './chat-page.js';
import { pageWorld } from './page-world.js';

const HELP = (JSON.parse(readFileSync(new URL('../../templates/zh-CN/common.json', import.meta.url), 'utf8')) as { help: { household: string; staff: string } }).help;
const CASES = JSON.parse(readFileSync(new URL('../../templates/zh-CN/cases.json', import.meta.url), 'utf8')) as { handover: { staffNoFlow: string } };
/** The simulator page's poll interval (src/simulator/page/simulator.js). */
const POLL_MS = 600;
/** The first line is enough to know which help text it is (the page shows the whole text). */
const firstLine = (text: string) => text.split('\n')[0] ?? text;

describe.skipIf(skipBrowserTests)('the /simulator page in Chromium (local mode, as npm start runs it)', () => {
  const world = pageWorld();

  it('a household and a staff member each say 你好 and get their own help text, in their own transcripts', async () => {
    const page = await world.phonePage();
    const chat = new ChatPage(page);
    try {
      await chat.open(world.server().baseUrl);

      await chat.become('李阿姨');
      let since = await chat.say('你好');
      expect(await chat.expectReply(since, firstLine(HELP.household))).toContain('回复“申报”开始');

      await chat.become('王建国');
      // Nothing of 李阿姨's; at most the month's 定期排查 card, which the daily tick brings until the report day.
      expect((await chat.botTexts()).filter((t) => !t.includes('定期排查'))).toEqual([]);
      since = await chat.say('你好');
      const staffHelp = HELP.staff.replace('{{name}}', '王建国');
      expect(await chat.expectReply(since, firstLine(staffHelp))).toContain('我的待办');

      await chat.become('李阿姨');
      await chat.expectReply(0, firstLine(HELP.household));
      expect(await page.locator('li.msg.me').allTextContents()).toEqual(['你好']);
    } catch (err) {
      throw world.failure(err);
    } finally {
      await page.close();
    }
  }, 60_000);

  it('keeps polling: a notice the outbox sends later shows up on a page nobody touches, and one loop polls however often it is asked', async () => {
    const page = await world.page();
    const chat = new ChatPage(page);
    const failed: string[] = [];
    page.on('response', (res) => {
      if (res.status() >= 400) failed.push(`${res.status()} ${res.url()}`);
    });
    try {
      await chat.open(world.server().baseUrl);
      await chat.become('刘局长');
      // A household asks for a person without saying where it lives: the county's approver is told, by the outbox.
      const res = await fetch(`${world.server().baseUrl}/simulator/household/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ externalUserId: 'wmSimWangDage03', text: '人工' }),
      });
      expect(res.status).toBe(202);
      await chat.expectReply(0, CASES.handover.staffNoFlow.split('{{')[0]!);

      // Five polls asked for at once (as quick sends do) make one loop: never two transcript requests in flight,
      // and about one request per interval.
      let inFlight = 0;
      let mostInFlight = 0;
      let polls = 0;
      const isPoll = (url: string) => url.includes('/simulator/transcript');
      page.on('request', (req) => {
        if (!isPoll(req.url())) return;
        polls++;
        mostInFlight = Math.max(mostInFlight, ++inFlight);
      });
      const settled = (req: { url(): string }) => {
        if (isPoll(req.url())) inFlight--;
      };
      page.on('requestfinished', settled);
      page.on('requestfailed', settled);
      // The page's own poll(), as a send calls it; a string, since the test has no DOM types.
      await page.evaluate('for (let i = 0; i < 5; i++) poll()');
      await page.waitForTimeout(POLL_MS * 5);
      expect(mostInFlight).toBe(1);
      expect(polls).toBeGreaterThanOrEqual(3);
      expect(polls).toBeLessThanOrEqual(8);
      // Nothing the page asked for was missing (the icon included).
      expect(failed).toEqual([]);
    } catch (err) {
      throw world.failure(err);
    } finally {
      await page.close();
    }
  }, 60_000);
});
