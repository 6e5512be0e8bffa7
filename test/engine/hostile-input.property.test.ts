import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { areaOptions, AREA_OPTION_SOURCES } from '../../src/conversation/area-options.js';
import { CHECK_OPTION_SOURCES, checkOptionSources } from '../../src/checks/check-options.js';
import { renderOutbound } from '../../src/conversation/render.js';
import type { EngineEvent, EngineOutbound } from '../../src/engine/events.js';
import { loadFlows } from '../../src/engine/flow-loader.js';
import type { Flow } from '../../src/engine/flow-schema.js';
import { resolveKey, toHalfWidth } from '../../src/engine/normalise.js';
import { MAX_FAILURES, readGlobalWord, step } from '../../src/engine/run.js';
import { engineStateSchema, type EngineInput, type EngineState } from '../../src/engine/state.js';
import { stepDef, type RunContext, type Step } from '../../src/engine/step-types/index.js';
import { idNumberCheckChar } from '../../src/engine/validators/id-number.js';
import { createTexts, LOCALES } from '../../src/i18n/i18n.js';
import { DEMO_ORG_FILE, loadOrgFile } from '../../src/org/org-file.js';
import { FLOWS_DIR } from '../../src/shared/paths.js';
import { hostileMenuId, hostileText, LEAK, PROTOTYPE_KEYS, PROTOTYPE_WORDS } from '../helpers/hostile-input.js';

/**
 * Every waiting step of every flow in flows/, given anything a person may send: the engine never throws,
 * never fails, keeps its state storable and schema-valid, and answers a refused answer with a reason and
 * the question again. Texts, option sources and the org are the real ones, as in the service.
 */
const texts = createTexts();
const flows = loadFlows(FLOWS_DIR, { locales: LOCALES, hasKey: (l, k) => texts.has(l, k), optionSources: [...AREA_OPTION_SOURCES, ...CHECK_OPTION_SOURCES] });
const ctx: RunContext = {
  text: (key) => (texts.has('zh-CN', key) ? texts.t('zh-CN', key) : undefined),
  options: { ...areaOptions(loadOrgFile(DEMO_ORG_FILE)), ...checkOptionSources((key) => key) },
};
const stepAt = (flow: Flow, id: string): Step | undefined => (Object.hasOwn(flow.steps, id) ? flow.steps[id] : undefined);
const START = new Date('2026-11-22T08:00:00.000Z');
const LATER = new Date('2026-11-22T08:05:00.000Z');

const ID_17 = '43062119800101123';
/** A right answer for each validator the flows name; a flow naming a new one fails here until it has a sample. */
const VALID_TEXT = new Map([
  ['personName', '张德福'],
  ['idNumber', ID_17 + idNumberCheckChar(ID_17)],
  ['mobile', '13812345678'],
  ['nonEmpty', '房子漏雨'],
  ['shortText', '房子漏雨'],
  ['longText', '老伴生病，每月自付两千多元。'],
  ['situation20', '老伴患尿毒症，每周透析三次，每月自付医药费约两千元。'],
  ['yearMonth', '2027年6月'],
]);

/** A right answer for a step, chosen so that every branch-only step is reached too (all non-exclusive options). */
function rightAnswer(s: Step): EngineInput {
  const say = (text: string, menuId?: string): EngineInput => ({ type: 'message', text, ...(menuId ? { menuId } : {}) });
  switch (s.type) {
    case 'text': {
      const text = VALID_TEXT.get(s.validator);
      if (text === undefined) throw new Error(`no sample answer for validator "${s.validator}"`);
      return say(text);
    }
    case 'number':
      return say(String(s.min ?? 1));
    case 'date':
      return say('今天');
    case 'amount':
      return say(String(s.min ?? 0));
    case 'chooseOne':
      return say('1');
    case 'chooseMany': {
      const options = s.options ?? [];
      const picks = options.flatMap((o, i) => (o.exclusive ? [] : [String(i + 1)]));
      return say(picks.length ? picks.join(',') : '1');
    }
    case 'confirm':
      return say('是', 'yes');
    case 'review':
      return say('提交', 'submit');
    case 'end':
    case 'append':
      throw new Error(`a${s.type === 'end' ? 'n end' : 'n append'} step takes no answer`);
  }
}

interface WaitingStep {
  flow: Flow;
  stepId: string;
  state: EngineState;
  /** Ids of the choices the step offers (its menu), for menu taps. */
  choiceIds: string[];
}

/** Plays each flow with right answers, keeping the state at each waiting step; a step never reached gets a built state. */
function waitingSteps(flow: Flow): WaitingStep[] {
  const found = new Map<string, WaitingStep>();
  let r = step(flow, undefined, { type: 'start' }, START, ctx);
  for (let turn = 0; r.status === 'waiting' && r.state && turn < 200; turn++) {
    const { state } = r;
    const current = stepAt(flow, state.stepId);
    if (!current) throw new Error(`walk reached unknown step ${state.stepId}`);
    if (!found.has(state.stepId)) found.set(state.stepId, { flow, stepId: state.stepId, state: structuredClone(state), choiceIds: offered(r.events) });
    // A text said in pieces is finished with 说完了 once something is said.
    const said = current.type === 'text' && current.gather && Object.hasOwn(state.answers, current.field ?? state.stepId);
    r = step(flow, state, said ? { type: 'message', text: '说完了' } : rightAnswer(current), START, ctx);
  }
  const answers = r.state?.answers ?? {};
  for (const [id, s] of Object.entries(flow.steps)) {
    if (!stepDef(s).waits || found.has(id)) continue;
    const state: EngineState = { v: 1, flowId: flow.id, flowVersion: flow.version, stepId: id, answers: structuredClone(answers), history: [], failures: 0, startedAt: START.toISOString(), updatedAt: START.toISOString() };
    const entered = step(flow, state, { type: 'repeat' }, START, ctx);
    found.set(id, { flow, stepId: id, state, choiceIds: offered(entered.events) });
  }
  return [...found.values()];
}

function offered(events: EngineEvent[]): string[] {
  return events.flatMap((e) => (e.type === 'message' && e.outbound.type === 'choices' ? e.outbound.choices.map((c) => c.id) : []));
}

const outbounds = (events: EngineEvent[]): EngineOutbound[] => events.flatMap((e) => (e.type === 'message' ? [e.outbound] : []));

/** Runs one turn and checks everything a household or the service relies on. */
function checkTurn(w: WaitingStep, text: string, menuId: string | undefined, failures = 0): void {
  const before: EngineState = { ...structuredClone(w.state), failures };
  const input: EngineInput = { type: 'message', text, ...(menuId !== undefined ? { menuId } : {}) };
  const r = step(w.flow, before, input, LATER, ctx);

  expect(['waiting', 'completed']).toContain(r.status);
  expect(r.events.filter((e) => e.type === 'failure')).toEqual([]);
  expect(r.state).not.toBeNull();
  expect(engineStateSchema.safeParse(r.state).success).toBe(true);
  expect(JSON.parse(JSON.stringify(r.state))).toEqual(r.state);

  for (const outbound of outbounds(r.events)) {
    for (const locale of LOCALES) expect(texts.has(locale, outbound.key), `missing text ${outbound.key}`).toBe(true);
    for (const value of Object.values(outbound.vars)) expect(['string', 'number']).toContain(typeof value);
    if (!LEAK.test(toHalfWidth(text))) {
      const rendered = renderOutbound(texts, 'zh-CN', outbound, { contactName: '王建国', contactPhone: '0730-1234567' });
      const shown = rendered.type === 'card' ? '' : `${rendered.text}\n${rendered.type === 'choices' ? rendered.choices.map((c) => c.label).join('\n') : ''}`;
      expect(shown).not.toMatch(LEAK);
    }
  }

  const global = menuId === undefined ? readGlobalWord(text) : undefined;
  if (global === undefined && r.status === 'waiting' && r.state?.stepId === w.stepId) {
    // Not taken as an answer: a reason first, then the question again (or, every MAX_FAILURES-th time, an offer of help).
    const current = stepAt(w.flow, w.stepId)!;
    // A numbered question ("第3步/共13步：…") nests its prompt key.
    const said = outbounds(r.events).map((o) => (o.key === 'engine:numbered' ? String(o.vars.numberedKey) : o.key));
    if (current.type === 'text' && current.gather && said[0]?.startsWith('engine:gather.')) {
      // A text said in pieces keeps each message: what it has is shown, with 说完了 to finish.
      expect(said).toHaveLength(1);
      expect(r.state.failures).toBe(0);
      expect(r.events.at(-1)).toEqual({ type: 'wait_started', stepId: w.stepId });
      return;
    }
    if (said[0]?.startsWith('engine:smallTalk.')) {
      // Small talk ("你好", "嗯") is answered kindly and the question asked again; it is no wrong answer.
      expect(said.at(-1)).toBe(resolveKey(w.flow.namespace, 'prompt' in current ? current.prompt : ''));
      expect(r.state.failures).toBe(failures);
      return;
    }
    expect(said[0]).toMatch(/^engine:invalid\./);
    expect(said.at(-1)).toBe((failures + 1) % MAX_FAILURES === 0 ? 'engine:tooManyFailures' : resolveKey(w.flow.namespace, 'prompt' in current ? current.prompt : ''));
    expect(r.state.failures).toBe(failures + 1);
    expect(r.events.at(-1)).toEqual({ type: 'wait_started', stepId: w.stepId });
  }
}

const STEPS = [...flows.values()].flatMap(waitingSteps);

describe('engine: the walk reaches every waiting step', () => {
  it('has a state for every waiting step of every flow', () => {
    const expected = [...flows.values()].flatMap((f) => Object.entries(f.steps).filter(([, s]) => stepDef(s).waits).map(([id]) => `${f.id}.${id}`));
    expect(STEPS.map((w) => `${w.flow.id}.${w.stepId}`).sort()).toEqual(expected.sort());
  });
});

describe.each(STEPS.map((w) => [`${w.flow.id} › ${w.stepId}`, w] as const))('engine at %s', (_name, w) => {
  it('every Object.prototype key, in every casing, width and punctuation, typed or as a menu id', () => {
    for (const word of PROTOTYPE_WORDS) checkTurn(w, word, undefined);
    // Menu ids are compared as sent, so the raw keys are the ones to try there.
    for (const key of PROTOTYPE_KEYS) {
      checkTurn(w, key, key);
      checkTurn(w, '1', key);
    }
  });

  test.prop([hostileText(), hostileMenuId([...w.choiceIds, 'yes', 'no', 'submit']), fc.nat({ max: 2 * MAX_FAILURES })], { numRuns: 60 })(
    'any text and any menu id',
    (text, menuId, failures) => {
      checkTurn(w, text, menuId, failures);
    },
  );
});
