import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { launchChromium } from './chat-page.js';
import { startLocalServer, type LocalServer } from './local-server.js';

/** The service as `npm start` runs it locally, and Debian's Chromium to open /simulator in: one per test file. */
export interface PageWorld {
  server(): LocalServer;
  /** A page the size of a phone, touch and all, as households and cadres see the simulator. */
  phonePage(): Promise<Page>;
  page(): Promise<Page>;
  /** A failed step, with the end of the server's output to read why. */
  failure(err: unknown): Error;
}

/** Starts the server and Chromium before the file's tests (call it inside `describe`) and stops both after. */
export function pageWorld(): PageWorld {
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
  return {
    server: () => server!,
    phonePage: () => browser!.newPage({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true }),
    page: () => browser!.newPage(),
    failure: (err) => new Error(`${err instanceof Error ? err.message : String(err)}\n--- server output (tail) ---\n${server!.output().slice(-4000)}`),
  };
}
