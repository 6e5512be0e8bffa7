import { fc, test } from '@fast-check/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaseRepository } from '../../src/cases/case-repository.js';
import { addressKey, type Address, type Outbound } from '../../src/channel/messages.js';
import { ConversationStore } from '../../src/conversation/conversation-store.js';
import { flowSlot } from '../../src/conversation/person-state.js';
import { loadFlows } from '../../src/engine/flow-loader.js';
import { toHalfWidth } from '../../src/engine/normalise.js';
import { stepDef } from '../../src/engine/step-types/index.js';
import { idNumberCheckChar } from '../../src/engine/validators/id-number.js';
import { createTexts, LOCALES } from '../../src/i18n/i18n.js';
import { createVault, parseDataKey } from '../../src/privacy/vault.js';
import { FLOWS_DIR } from '../../src/shared/paths.js';
import { KF_ACCOUNT, openChatWorld, type ChatWorld } from '../helpers/chat-script.js';
import { hostileMenuId, hostileText, LEAK, PROTOTYPE_KEYS, PROTOTYPE_WORDS_SHORT } from '../helpers/hostile-input.js';
import { captureLogs, TEST_DATA_KEY } from '../helpers/test-app.js';

/**
 * One typed word must never block a 微信客服 account: whatever a household sends at whatever question
 * (an Object.prototype key such as "Constructor", random Unicode, 4000 characters), the service answers
 * and the declaration can still be finished. Real conversation service on real stores (Redis with REDIS_URL).
 */
const texts = createTexts();
const declaration = loadFlows(FLOWS_DIR, { locales: LOCALES, hasKey: (l, k) => texts.has(l, k) }).get('declaration');
if (!declaration) throw new Error('flows/declaration.yaml is missing');
/** Every step of the declaration that waits for the household, in file order (the order it asks them). */
const WAITING = Object.entries(declaration.steps).filter(([, s]) => stepDef(s).waits).map(([id]) => id);

/** A valid 18-digit ID number per household, so each declaration opens its own case. */
let households = 0;
function nextHousehold(): { from: Address; idNumber: string } {
  households += 1;
  const first17 = `43062119800101${String(households).padStart(3, '0')}`;
  return { from: { channel: 'kf', openKfId: KF_ACCOUNT, externalUserId: `wmHostile${households}` }, idNumber: first17 + idNumberCheckChar(first17) };
}

/** A right answer for each question of flows/declaration.yaml; the risk types include 其他 so its reason is asked too. */
const ANSWERS = new Map<string, (idNumber: string) => string>([
  ['ask_name', () => '张德福'],
  ['ask_id', (id) => id],
  ['ask_phone', () => '13812345678'],
  ['ask_township', () => '1'],
  ['ask_village', () => '1'],
  ['ask_group', () => '1'],
  ['ask_household_size', () => '3'],
  ['ask_risk_types', () => '1,9'],
  ['ask_other_reason', () => '房子漏雨'],
  ['ask_basic_guarantees', () => '6'],
  ['ask_description', () => '老伴生病，每月自付两千多元。'],
  ['ask_commitment', () => '是'],
  ['ask_authorization', () => '是'],
  ['review', () => '1'],
]);

let world: ChatWorld;
let store: ConversationStore;
let cases: CaseRepository;

beforeAll(async () => {
  world = await openChatWorld();
  store = new ConversationStore({ state: world.state, docs: world.docs, vault: createVault(parseDataKey(TEST_DATA_KEY)), retainMs: 3_600_000, logger: captureLogs().logger });
  cases = new CaseRepository(world.docs, createVault(parseDataKey(TEST_DATA_KEY)));
});
afterAll(async () => world.close());

async function send(from: Address, text: string, menuId?: string): Promise<Outbound[]> {
  return world.say(from, text, menuId);
}

/** The declaration question the household is at, as the service stored it; undefined outside the declaration. */
async function stepOf(from: Address): Promise<string | undefined> {
  const { state } = await store.load(addressKey(from));
  return state.active === 'declaration' ? flowSlot(state, 'declaration')?.engine.stepId : undefined;
}

/** The right next message at `stepId`: the description is said in pieces, so once something is said, 说完了. */
async function nextAnswer(h: { from: Address; idNumber: string }, stepId: string): Promise<string> {
  const { state } = await store.load(addressKey(h.from));
  const answers = flowSlot(state, 'declaration')?.engine.answers ?? {};
  if (stepId === 'ask_description' && typeof answers.description === 'string') return '说完了';
  return answerAt(stepId, h.idNumber);
}

function answerAt(stepId: string, idNumber: string): string {
  const answer = ANSWERS.get(stepId);
  if (!answer) throw new Error(`no right answer known for step "${stepId}": add it to ANSWERS`);
  return answer(idNumber);
}

/** Plays right answers (or 返回, or 申报 after the flow ended) until the household is at `target`. */
async function reach(h: { from: Address; idNumber: string }, target: string): Promise<void> {
  for (let turn = 0; turn < 60; turn++) {
    const at = await stepOf(h.from);
    if (at === target) return;
    if (at === undefined) {
      // A run that submitted left an open case: declaring the same ID again now stops at the ID number.
      if ((await cases.declaredBy(addressKey(h.from))).length > 0) h.idNumber = nextHousehold().idNumber;
      await send(h.from, '申报');
    }
    else if (WAITING.indexOf(at) > WAITING.indexOf(target)) await send(h.from, '返回');
    else await send(h.from, await nextAnswer(h, at));
  }
  throw new Error(`household never reached "${target}" (at "${await stepOf(h.from)}")`);
}

/** Answers every remaining question; resolves once the household's case exists. */
async function finish(h: { from: Address; idNumber: string }): Promise<void> {
  for (let turn = 0; turn < 60; turn++) {
    const declared = await cases.declaredBy(addressKey(h.from));
    if (declared.length > 0) return;
    const at = await stepOf(h.from);
    await send(h.from, at === undefined ? '申报' : await nextAnswer(h, at));
  }
  throw new Error(`declaration never finished (at "${await stepOf(h.from)}")`);
}

/** `typedBefore`: what the person typed earlier, which a review may echo back (a household may call itself "undefined"). */
function expectAnswered(out: Outbound[], input: string, typedBefore: readonly string[] = []): void {
  expect(out.length, `no answer to ${JSON.stringify(input.slice(0, 40))}`).toBeGreaterThan(0);
  const echoes = [input, ...typedBefore].some((t) => LEAK.test(toHalfWidth(t)));
  for (const m of out) {
    if (m.type === 'card') continue;
    expect(typeof m.text).toBe('string');
    if (!echoes) expect(m.text).not.toMatch(LEAK);
  }
}

describe('a household mid-declaration sends an Object.prototype key', () => {
  it.each(WAITING)('at %s: every key is answered and the declaration still completes', async (stepId) => {
    const h = nextHousehold();
    for (const word of PROTOTYPE_WORDS_SHORT) {
      await reach(h, stepId);
      expectAnswered(await send(h.from, word), word);
    }
    await finish(h);
  });

  it('a tapped menu item whose id is an Object.prototype key is answered', async () => {
    const h = nextHousehold();
    for (const stepId of WAITING) {
      for (const key of PROTOTYPE_KEYS) {
        await reach(h, stepId);
        expectAnswered(await send(h.from, key, key), key);
      }
    }
    await finish(h);
  });
});

describe('random text at random questions', () => {
  const h = nextHousehold();
  const typed: string[] = [];
  test.prop([fc.constantFrom(...WAITING), hostileText(), hostileMenuId(['yes', 'no', 'submit', 'illness', 'other'])], { numRuns: 60 })(
    'every message is answered',
    async (stepId, text, menuId) => {
      await reach(h, stepId);
      expectAnswered(await send(h.from, text, menuId), text, typed);
      typed.push(text);
    },
  );
  it('and the declaration completes afterwards', async () => {
    await finish(h);
  });
});

describe('staff send the same words', () => {
  const staff: Address[] = [
    { channel: 'app', userId: 'wangcadre' },
    { channel: 'app', userId: 'constructor' },
    { channel: 'app', userId: '__proto__' },
  ];
  it.each(staff.map((s) => [s.channel === 'app' ? s.userId : '', s] as const))('%s: every key is answered', async (_name, from) => {
    for (const word of PROTOTYPE_WORDS_SHORT) expectAnswered(await send(from, word), word);
  });
  test.prop([hostileText()], { numRuns: 30 })('a cadre gets an answer to any text', async (text) => {
    expectAnswered(await send({ channel: 'app', userId: 'wangcadre' }, text), text);
  });
});
