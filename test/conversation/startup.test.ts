import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildConversationService } from '../../src/conversation/build.js';
import { FlowLoadError } from '../../src/engine/flow-loader.js';
import { createTexts, loadResources } from '../../src/i18n/i18n.js';
import { DEMO_ORG_FILE, loadOrgFile } from '../../src/org/org-file.js';
import { createVault, parseDataKey } from '../../src/privacy/vault.js';
import { ManualClock } from '../../src/shared/clock.js';
import { EmbeddedDocumentStore } from '../../src/stores/document-store.embedded.js';
import { MemoryStateStore } from '../../src/stores/state-store.memory.js';
import { captureLogs, TEST_DATA_KEY, TEST_NOW } from '../helpers/test-app.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

async function build(options: { flowsDir?: string; texts?: ReturnType<typeof createTexts> }) {
  return buildConversationService({
    state: new MemoryStateStore(),
    docs: await EmbeddedDocumentStore.open({ dir: mkdtempSync(join(tmpdir(), 'fpfp-start-')) }),
    vault: createVault(parseDataKey(TEST_DATA_KEY)),
    org: loadOrgFile(DEMO_ORG_FILE),
    texts: options.texts ?? createTexts(),
    clock: new ManualClock(TEST_NOW),
    logger: captureLogs().logger,
    outbox: { enqueue: async () => {} },
    conversation: { resumeAfterMs: 60_000, expireAfterMs: 3_600_000 },
    ...(options.flowsDir ? { flowsDir: options.flowsDir } : {}),
  });
}

describe('the service refuses to start', () => {
  it('on a broken flow, naming the file and the step', async () => {
    const broken = fileURLToPath(new URL('../fixtures/engine/broken/', import.meta.url));
    await expect(build({ flowsDir: broken })).rejects.toThrow(FlowLoadError);
    await expect(build({ flowsDir: broken })).rejects.toThrow(/unknown-next\.yaml: flow "unknown-next" › step "ask_phone" › next: unknown step "x"/);
  });

  it('when a text the shipped flows or the engine use is missing in one locale', async () => {
    const resources = loadResources();
    const en = structuredClone(resources.en);
    delete (en.declaration as Record<string, unknown>).ask_phone;
    delete ((en.engine as Record<string, Record<string, unknown>>).invalid!.mobile as Record<string, unknown>).format;
    const texts = createTexts({ ...resources, en });
    const error = await build({ texts }).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(FlowLoadError);
    expect(String((error as Error).message)).toContain('missing text "engine:invalid.mobile.format" in en');
    await expect(build({ texts })).rejects.toThrow(/declaration\.yaml: flow "declaration" › step "ask_phone": missing text "declaration:ask_phone" in en/);
  });

  it('and starts with the shipped flows and texts', async () => {
    await expect(build({})).resolves.toBeDefined();
  });
});
