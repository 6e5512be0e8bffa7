import { readFileSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChatPage, launchChromium, skipBrowserTests } from './chat-page.js';
import { startLocalServer, type LocalServer } from './local-server.js';

const HELP = (JSON.parse(readFileSync(new URL('../../templates/zh-CN/common.json', import.meta.url), 'utf8')) as { help: { household: string; staff: string } }).help;
/** The first line is enough to know which help text it is (the page shows the whole text). */
const firstLine = (text: string) => text.split('\n')[0] ?? text;

describe.skipIf(skipBrowserTests)('the /simulator page in Chromium (local mode, as npm start runs it)', () => {
  let server: LocalServer | undefined;
  let browser: Browser | undefined;

  beforeAll(async () => {
    browser = await launchChromium();
    server = await startLocalServer();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('a household and a staff member each say 你好 and get their own help text, in their own transcripts', async () => {
    const page = await browser!.newPage({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    const chat = new ChatPage(page);
    try {
      await chat.open(server!.baseUrl);

      await chat.become('李阿姨');
      let since = await chat.say('你好');
      expect(await chat.expectReply(since, firstLine(HELP.household))).toContain('回复“申报”开始');

      await chat.become('王建国');
      expect(await chat.botTexts()).toEqual([]);
      since = await chat.say('你好');
      const staffHelp = HELP.staff.replace('{{name}}', '王建国');
      expect(await chat.expectReply(since, firstLine(staffHelp))).toContain('我的待办');

      await chat.become('李阿姨');
      await chat.expectReply(0, firstLine(HELP.household));
      expect(await page.locator('li.msg.me').allTextContents()).toEqual(['你好']);
    } catch (err) {
      throw new Error(`${err instanceof Error ? err.message : String(err)}\n--- server output (tail) ---\n${server!.output().slice(-4000)}`);
    } finally {
      await page.close();
    }
  }, 60_000);
});
