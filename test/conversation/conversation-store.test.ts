import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConversationStore } from '../../src/conversation/conversation-store.js';
import type { PersonState } from '../../src/conversation/person-state.js';
import { createVault, parseDataKey } from '../../src/privacy/vault.js';
import type { StateStore } from '../../src/stores/state-store.js';
import { KF_ACCOUNT, openChatWorld, playScript, type ChatWorld } from '../helpers/chat-script.js';
import { captureLogs, TEST_DATA_KEY, testStateStore } from '../helpers/test-app.js';
import type { DocumentStore } from '../../src/stores/document-store.js';
import { EmbeddedDocumentStore } from '../../src/stores/document-store.embedded.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const NOW = new Date('2026-11-22T08:00:00.000Z');

const engine = (stepId: string, answers: Record<string, string>) => ({
  v: 1 as const, flowId: 'declaration', flowVersion: 1, stepId, answers, history: [], failures: 0,
  startedAt: '2026-11-22T08:00:00.000Z', updatedAt: '2026-11-22T08:00:00.000Z',
});

describe('conversation state', () => {
  let state: StateStore;
  let store: ConversationStore;
  let docs: DocumentStore;
  beforeEach(async () => {
    state = testStateStore();
    docs = await EmbeddedDocumentStore.open({ dir: mkdtempSync(join(tmpdir(), 'fpfp-conv-')) });
    store = new ConversationStore({ state, docs, vault: createVault(parseDataKey(TEST_DATA_KEY)), retainMs: 60_000, logger: captureLogs().logger });
  });
  afterEach(async () => {
    await state.close();
    await docs.close();
  });

  it('keeps several conversations of one person apart (a cadre mid-way through two tasks)', async () => {
    const person: PersonState = {
      v: 1,
      active: 'verify:case-2',
      slots: {
        'verify:case-1': { flowId: 'declaration', engine: engine('ask_phone', { householdHead: '王五' }), lastActiveAt: '2026-11-22T08:00:00.000Z' },
        'verify:case-2': { flowId: 'declaration', engine: engine('ask_id', { householdHead: '赵六' }), lastActiveAt: '2026-11-22T08:05:00.000Z' },
      },
    };
    await store.save('app:wangcadre', person, NOW);
    const loaded = await store.load('app:wangcadre');
    expect(loaded).toEqual({ state: { ...person, markedAt: NOW.toISOString() }, dropped: false });
    expect((await store.load('app:zhoucadre')).state.slots).toEqual({});
  });

  it('drops state it cannot read (another data key, altered, or an older shape) and says so', async () => {
    await state.set('conv:kf:a:b', 'v1.not.really.sealed');
    expect((await store.load('kf:a:b')).dropped).toBe(true);
    const otherKey = new ConversationStore({ state, docs, vault: createVault(Buffer.alloc(32, 1)), retainMs: 60_000, logger: captureLogs().logger });
    await otherKey.save('kf:a:c', { v: 1, slots: {} }, NOW);
    expect(await store.load('kf:a:c')).toEqual({ state: { v: 1, slots: {} }, dropped: true });
  });
});

describe('two messages from one person at the same moment', () => {
  let world: ChatWorld;
  beforeEach(async () => {
    world = await openChatWorld();
  });
  afterEach(async () => world.close());

  it('are handled one after the other: no answer is lost', async () => {
    await playScript(world, '> 申报');
    const from = { channel: 'kf' as const, openKfId: KF_ACCOUNT, externalUserId: 'wmHousehold01' };
    const at = world.clock.now();
    const firstTurn = world.handler.onText({ from, id: 'm1', text: '张德福', at });
    // The second arrives while the first holds the person's lock.
    for (let i = 0; i < 1000 && (await world.state.get(`lock:conv:kf:${KF_ACCOUNT}:wmHousehold01`)) === null; i++) await new Promise((r) => setImmediate(r));
    const [first, second] = await Promise.all([firstTurn, world.handler.onText({ from, id: 'm2', text: '430621195805121238', at })]);
    const all = [...first.replies, ...second.replies].map((m) => ('text' in m ? m.text : ''));
    expect(all.some((t) => t.includes('4306**********1238'))).toBe(true);
    const transcript = await playScript(world, '> 返回');
    expect(transcript).toContain('请发来户主的身份证号');
  });
});
