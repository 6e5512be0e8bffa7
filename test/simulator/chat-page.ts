import { existsSync } from 'node:fs';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';

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

  /** The newest template card titled exactly `title` in this chat. */
  card(title: string): Locator {
    return this.page.locator('li.msg.bot .card').filter({ has: this.page.getByRole('heading', { name: title, exact: true }) }).last();
  }

  /** Taps `button` on the newest card titled `title`, once it has come; returns how many bot messages were shown before. */
  async tapCard(title: string, button: string): Promise<number> {
    const target = this.card(title).getByRole('button', { name: button, exact: true });
    await target.waitFor({ timeout: REPLY_TIMEOUT_MS });
    const before = (await this.botTexts()).length;
    await target.click();
    return before;
  }

  /** Waits until the newest card titled `title` is greyed out (its buttons gone); returns the grey label it shows. */
  async expectCardDone(title: string, timeoutMs = REPLY_TIMEOUT_MS): Promise<{ label: string; buttons: number }> {
    const card = this.card(title);
    await card.locator('.card-done').waitFor({ timeout: timeoutMs });
    return { label: (await card.locator('.card-done').textContent()) ?? '', buttons: await card.getByRole('button').count() };
  }

  /** The simulated date the page shows (模拟日期), e.g. `2026年12月1日`. */
  async simulatedDate(): Promise<string> {
    await this.page.locator('#clock-date').filter({ hasText: /\d/ }).waitFor();
    return (await this.page.locator('#clock-date').textContent()) ?? '';
  }

  /** Moves simulated time forward `days` with the page's 快进 control (days box, then the button); returns the new date shown. */
  async advanceDays(days: number): Promise<string> {
    const before = await this.simulatedDate();
    await this.page.locator('#clock-days').fill(String(days));
    await this.page.getByRole('button', { name: `快进${days}天`, exact: true }).click();
    const deadline = Date.now() + REPLY_TIMEOUT_MS;
    for (;;) {
      const shown = await this.simulatedDate();
      if (shown !== before) return shown;
      if (Date.now() > deadline) throw new Error(`the simulated date stayed ${before} after 快进${days}天`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
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
