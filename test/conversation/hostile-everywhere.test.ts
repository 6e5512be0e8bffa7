import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { addressKey, type Address, type Outbound } from '../../src/channel/messages.js';
import { ConversationStore } from '../../src/conversation/conversation-store.js';
import { createVault, parseDataKey } from '../../src/privacy/vault.js';
import { openChatWorld, playScript } from '../helpers/chat-script.js';
import { fullWidth, LEAK, PROTOTYPE_KEYS } from '../helpers/hostile-input.js';
import { captureLogs, TEST_DATA_KEY } from '../helpers/test-app.js';

/**
 * Every golden conversation played again, with every Object.prototype key typed (and the likeliest tapped as
 * a menu id) before each line a household or a staff member says: at every question of every flow, 我的待办
 * and its numbers, forms opened from cards, 排查 and its households, commands. Each word is answered in words
 * (nothing inherited shows) and tells nobody else anything; once the person's conversation is put back as it
 * was, the rest of the script reads exactly as its golden file. Each place is tried once (the first script
 * that reaches it): a flow's question, or no flow, per channel and with or without a 我的待办 list.
 */
const DIR = fileURLToPath(new URL('../fixtures/conversations/', import.meta.url));
const SCRIPTS = readdirSync(DIR).filter((f) => f.endsWith('.chat')).sort();
/** Typed: every key, and a few the way phones send them. Tapped: the keys most likely to be looked up. */
const TYPED = [...PROTOTYPE_KEYS, 'Constructor', `${fullWidth('toString')}。`];
const TAPPED = ['constructor', '__proto__', 'toString', 'hasOwnProperty'];
const RETAIN_MS = 72 * 3_600_000;
/** Places already tried, across scripts. */
const tried = new Set<string>();

function expectAnswered(out: Outbound[], word: string, where: string): void {
  expect(out.length, `${where}: no answer to ${JSON.stringify(word)}`).toBeGreaterThan(0);
  for (const m of out) {
    if (m.type === 'card') continue;
    expect(m.text, `${where}: ${JSON.stringify(word)}`).not.toMatch(LEAK);
    if (m.type === 'choices') for (const c of m.choices) expect(c.label).not.toMatch(LEAK);
  }
}

async function playWithHostileWords(name: string): Promise<void> {
  // Lookups are what is tested here, not the store: state in-process keeps 16,000 turns quick.
  const world = await openChatWorld({ inProcessState: true });
  try {
    const expected = readFileSync(`${DIR}${name}`, 'utf8');
    const store = new ConversationStore({ state: world.state, docs: world.docs, vault: createVault(parseDataKey(TEST_DATA_KEY)), retainMs: RETAIN_MS, logger: captureLogs().logger });
    const marks = world.docs.collection<{ _id: string }>('conversationMarks');
    let inputs = 0;
    const beforeInput = async (from: Address): Promise<void> => {
      inputs += 1;
      const person = addressKey(from);
      const key = `conv:${person}`;
      const where = `${name}, before input ${inputs} of ${from.channel === 'app' ? from.userId : from.externalUserId}`;
      // A staff member asked for a reason after 不同意 takes any text as that reason, and acts on it at once.
      const { state } = await store.load(person);
      const active = state.active !== undefined && Object.hasOwn(state.slots, state.active) ? state.slots[state.active] : undefined;
      if (active && 'kind' in active && active.kind === 'reason') return;
      const place = [from.channel, active && 'flowId' in active ? `${active.flowId}.${active.engine.stepId}` : 'no flow', state.todo ? 'todo' : ''].join(' ');
      if (tried.has(place)) return;
      tried.add(place);
      for (const [word, menuId] of [...TYPED.map((w) => [w, undefined] as const), ...TAPPED.map((k) => [k, k] as const)]) {
        const [saved, mark] = [await world.state.get(key), await marks.get(person)];
        const recorded = world.outboxItems.size;
        expectAnswered(await world.say(from, word, menuId), word, where);
        expect(world.outboxItems.size, `${where}: ${JSON.stringify(word)} made the service tell someone something`).toBe(recorded);
        // A word a free-text question takes as its answer moved the conversation on: put it back as it was.
        if (saved === null) await world.state.delete(key);
        else await world.state.set(key, saved, RETAIN_MS);
        if (mark) await marks.put(mark);
        else await marks.delete(person);
      }
      world.notices.length = 0;
    };
    const actual = await playScript(world, expected, undefined, { beforeInput });
    expect(inputs).toBeGreaterThan(0);
    expect(actual).toBe(expected);
  } finally {
    await world.close();
  }
}

describe('an Object.prototype key typed at any point of a golden conversation', () => {
  for (const name of SCRIPTS) it(name.replace(/\.chat$/, '').replaceAll('-', ' '), { timeout: 120_000 }, () => playWithHostileWords(name));
  it('tried them at every question the scripts reach', () => {
    expect(tried.size).toBeGreaterThan(100);
  });
});
