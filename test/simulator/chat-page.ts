import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Debian's Chromium; the tests never download a browser. */
export const CHROMIUM_PATH = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'];

/**
 * Why browser tests cannot run here, or undefined when they can. Outside CI a missing Chromium skips
 * them with this reason; in CI (`CI` set) the tests run anyway and fail on it: CI must not skip silently.
 */
export function chromiumMissing(): string | undefined {
  return existsSync(CHROMIUM_PATH) ? undefined : `${CHROMIUM_PATH} not found: apt-get install chromium`;
}

export const skipBrowserTests = chromiumMissing() !== undefined && !process.env.CI;
if (skipBrowserTests) console.warn(`skipping browser tests: ${chromiumMissing()}`);

export async function launchChromium(): Promise<Browser> {
  const missing = chromiumMissing();
  if (missing) throw new Error(`${missing} (browser tests are required in CI)`);
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}

const REPLY_TIMEOUT_MS = 10_000;

/** Drives the /simulator page the way a person would: pick an identity, type, tap. */
export class ChatPage {
  constructor(readonly page: Page) {}

  async open(baseUrl: string): Promise<void> {
    await this.page.goto(`${baseUrl}/simulator`);
    await this.page.locator('body[data-ready="true"]').waitFor();
  }

  /** Picks an identity from the list (going back to it first when chatting). */
  async become(name: string): Promise<void> {
    if (await this.page.locator('#back').isVisible()) await this.page.locator('#back').click();
    await this.page.locator('button.identity', { hasText: name }).first().click();
    await this.page.locator('#chat').waitFor({ state: 'visible' });
    await this.page.locator('#title', { hasText: name }).waitFor();
  }

  async botTexts(): Promise<string[]> {
    return this.page.locator('li.msg.bot').allTextContents();
  }

  /** Types and sends `text`; returns how many bot messages were shown before, for `expectReply`. */
  async say(text: string): Promise<number> {
    const before = (await this.botTexts()).length;
    await this.page.locator('#text').fill(text);
    await this.page.locator('#text').press('Enter');
    return before;
  }

  /** Taps the 微信客服 menu item `label` under the newest bot message containing `head`. */
  async tap(head: string, label: string): Promise<number> {
    const before = (await this.botTexts()).length;
    await this.page.locator('li.msg.bot', { hasText: head }).last().getByRole('button', { name: label, exact: true }).click();
    return before;
  }

  /** Waits for a bot message after the first `since` ones that matches; returns its text. */
  async expectReply(since: number, match: string | RegExp, timeoutMs = REPLY_TIMEOUT_MS): Promise<string> {
    const test = (text: string) => (typeof match === 'string' ? text.includes(match) : match.test(text));
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const fresh = (await this.botTexts()).slice(since);
      const hit = fresh.find(test);
      if (hit !== undefined) return hit;
      if (Date.now() > deadline) {
        throw new Error(`no bot reply matching ${String(match)} within ${timeoutMs} ms; new bot messages:\n${fresh.join('\n---\n') || '(none)'}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}
