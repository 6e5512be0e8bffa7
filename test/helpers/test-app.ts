import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { Logger } from 'pino';
import { buildApp, type AppDeps, type BuiltApp } from '../../src/app.js';
import { sequentialCaseNumbers } from '../../src/cases/case-number.js';
import { loadConfig, type Config } from '../../src/config.js';
import { DEMO_ORG_FILE, loadOrgFile } from '../../src/org/org-file.js';
import type { Org } from '../../src/org/org.js';
import { createVault, parseDataKey } from '../../src/privacy/vault.js';
import { ManualClock } from '../../src/shared/clock.js';
import { createLogger } from '../../src/shared/logger.js';
import { startFakeWeComApi } from '../../src/simulator/fake-wecom-api.js';
import type { FakeWeComState } from '../../src/simulator/fake-wecom-state.js';
import { EmbeddedDocumentStore } from '../../src/stores/document-store.embedded.js';
import type { DocumentStore } from '../../src/stores/document-store.js';
import { MemoryStateStore } from '../../src/stores/state-store.memory.js';
import { RedisStateStore } from '../../src/stores/state-store.redis.js';
import type { StateStore } from '../../src/stores/state-store.js';
import { WeComHttpApi } from '../../src/wecom/api-client.js';
import { BullDeliveryQueue } from '../../src/outbox/delivery-queue.bullmq.js';
import { VECTOR_CRYPTO } from './vectors.js';

export const TEST_NOW = new Date('2026-11-22T08:00:00Z');
/** The data key of test services (32 bytes, base64); tests that open sealed values use it too. */
export const TEST_DATA_KEY = 'q83vEjRWeJq83vEjRWeJq83vEjRWeJq83vEjRWeJq80=';

/** Captures every log line so tests can prove what never gets logged. */
export function captureLogs(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(chunk.toString('utf8'));
      done();
    },
  });
  return { logger: createLogger('debug', sink), lines };
}

/** Real Redis when REDIS_URL is set (CI always sets it), else in-process; a fresh key prefix per call. */
export function testStateStore(): StateStore {
  const url = process.env.REDIS_URL;
  return url ? new RedisStateStore({ url, keyPrefix: `test:${process.pid}:${Math.random().toString(36).slice(2)}:` }) : new MemoryStateStore();
}

export interface TestService {
  built: BuiltApp;
  baseUrl: string;
  config: Readonly<Config>;
  fake: FakeWeComState;
  state: StateStore;
  docs: DocumentStore;
  clock: ManualClock;
  logs: string[];
  /** Closes the app (and, unless kept, the stores and the fake). */
  close(options?: { keepStores?: boolean }): Promise<void>;
}

/**
 * The real service on a loopback port, with the vector credentials, a fake WeCom API over real HTTP
 * and real stores. Pass `state`/`docs`/`fake` to simulate a restart on the same stores.
 */
export async function startTestService(
  options: {
    env?: Record<string, string>;
    state?: StateStore;
    docs?: DocumentStore;
    dataDir?: string;
    fake?: FakeWeComState;
    handler?: AppDeps['handler'];
    clock?: ManualClock;
    /** Case numbers; sequential (…-0001, …-0002) unless given. */
    caseNumbers?: AppDeps['caseNumbers'];
    /** The area tree and staff; the demo org unless given. */
    org?: Org;
    /** The policy profiles; the shipped ones unless given (e.g. with an income line for the test's year added). */
    profiles?: AppDeps['profiles'];
  } = {},
): Promise<TestService> {
  const clock = options.clock ?? new ManualClock(TEST_NOW);
  const fakeServer = await startFakeWeComApi(options.fake ?? { corpId: VECTOR_CRYPTO.corpId, secret: 'test-app-secret' });
  // The fake WeCom lives on the service's clock unless the test set its own (kf history is "the last 3 days").
  if (!options.fake) fakeServer.state.now = () => clock.now().getTime();
  const config = loadConfig({
    WECOM_CORP_ID: VECTOR_CRYPTO.corpId,
    WECOM_AGENT_ID: '1000002',
    WECOM_SECRET: 'test-app-secret',
    WECOM_TOKEN: VECTOR_CRYPTO.token,
    WECOM_ENCODING_AES_KEY: VECTOR_CRYPTO.encodingAesKey,
    WECOM_API_BASE: fakeServer.baseUrl,
    ADMIN_TOKEN: 'test-admin-token-0123456789',
    DATA_KEY: TEST_DATA_KEY,
    PORT: '0',
    // Reminders go out when a test runs their tick on its own clock, never on the wall clock's schedule.
    REMINDERS_ENABLED: 'false',
    ...options.env,
  });
  const state = options.state ?? testStateStore();
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'fpfp-test-'));
  const docs = options.docs ?? (await EmbeddedDocumentStore.open({ dir: dataDir }));
  const { logger, lines } = captureLogs();
  const api = new WeComHttpApi({
    baseUrl: fakeServer.baseUrl,
    corpId: config.wecom.corpId,
    agentId: config.wecom.agentId,
    secret: config.wecom.secret,
    store: state,
    logger,
    retry: { attempts: 3, baseDelayMs: 1 },
  });
  // With Redis (CI), deliveries run on BullMQ as in production, under a prefix of their own.
  const queue = process.env.REDIS_URL
    ? new BullDeliveryQueue({ url: process.env.REDIS_URL, prefix: `test:${process.pid}:${Math.random().toString(36).slice(2)}:bull`, logger, now: () => clock.now() })
    : undefined;
  const built = await buildApp(config, {
    ...(queue ? { queue } : {}),
    state,
    docs,
    api,
    org: options.org ?? loadOrgFile(DEMO_ORG_FILE),
    logger,
    clock,
    vault: createVault(parseDataKey(TEST_DATA_KEY)),
    caseNumbers: options.caseNumbers ?? sequentialCaseNumbers(),
    ...(options.handler ? { handler: options.handler } : {}),
    ...(options.profiles ? { profiles: options.profiles } : {}),
  });
  const baseUrl = await built.app.listen({ host: '127.0.0.1', port: 0 });
  return {
    built,
    baseUrl,
    config,
    fake: fakeServer.state,
    state,
    docs,
    clock,
    logs: lines,
    async close({ keepStores = false } = {}) {
      await built.app.close();
      await queue?.obliterate().catch(() => undefined);
      await fakeServer.close();
      if (!keepStores) {
        await state.close();
        await docs.close();
        if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
      }
    },
  };
}
