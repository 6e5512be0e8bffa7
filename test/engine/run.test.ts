import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { ENGINE_TEXT_KEYS } from '../../src/engine/engine-texts.js';
import type { EngineEvent } from '../../src/engine/events.js';
import { loadFlowFile } from '../../src/engine/flow-loader.js';
import type { Flow } from '../../src/engine/flow-schema.js';
import { MAX_FAILURES, step, type TurnResult } from '../../src/engine/run.js';
import { engineStateSchema, type EngineInput, type EngineState } from '../../src/engine/state.js';
import type { RunContext } from '../../src/engine/step-types/index.js';
import { LOCALES } from '../../src/i18n/i18n.js';

const loaded = loadFlowFile(fileURLToPath(new URL('../fixtures/engine/mini.yaml', import.meta.url)), {
  locales: LOCALES,
  hasKey: () => true,
  optionSources: ['townships'],
});
if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
const flow: Flow = loaded.flow;

const T0 = Date.parse('2026-01-05T08:00:00.000Z');
const ctx: RunContext = {
  text: (key) => ({ 'mini:label.householdSize': '家庭人口', 'mini:risk.other': '其他' })[key],
  options: { townships: () => [{ id: 't1', label: '青山镇' }, { id: 't2', label: '绿水乡' }] },
};
const emittedKeys = new Set<string>();

/** Plays turns one minute apart; returns every result. Each state is deep-frozen to prove the engine never mutates it. */
function play(inputs: (string | EngineInput)[], from?: EngineState): TurnResult[] {
  const results: TurnResult[] = [];
  let state = from;
  inputs.forEach((raw, i) => {
    const input: EngineInput = typeof raw === 'string' ? { type: 'message', text: raw } : raw;
    const r = step(flow, state ? deepFreeze(structuredClone(state)) : undefined, input, new Date(T0 + i * 60_000), ctx);
    for (const e of r.events) if (e.type === 'message' && e.outbound.key.startsWith('engine:')) emittedKeys.add(e.outbound.key);
    results.push(r);
    state = r.state ?? undefined;
  });
  return results;
}
function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object') Object.values(o).forEach(deepFreeze);
  return Object.freeze(o);
}
const last = (rs: TurnResult[]): TurnResult => rs[rs.length - 1]!;
const keys = (events: EngineEvent[]) => events.map((e) => (e.type === 'message' ? e.outbound.key : e.type));

const TO_REVIEW = [{ type: 'start' } as const, '张三', '43062119800101123X', '4', '1、2', '青山', '是'];

describe('run: a whole conversation', () => {
  it('goes start → answers → review → change one answer → submit', () => {
    const rs = play([...TO_REVIEW, '4', '５', '1']);
    expect(keys(rs[0]!.events)).toEqual(['mini:ask_name', 'wait_started']);
    expect(keys(rs[2]!.events)).toEqual(['mini:id_echo', 'mini:ask_size', 'wait_started']);
    expect(rs[2]!.events[0]).toEqual({ type: 'message', outbound: { type: 'text', key: 'mini:id_echo', vars: { value: '4306**********123X' } } });
    const review = rs[6]!;
    expect(review.state?.stepId).toBe('review');
    expect(review.events[0]).toMatchObject({ outbound: { key: 'mini:review', lines: [
      { labelKey: 'mini:label.name', value: '张三' },
      { labelKey: 'mini:label.idNumber', value: '4306**********123X' },
      { labelKey: 'mini:label.householdSize', value: '4' },
      { labelKey: 'mini:label.riskTypes', valueKeys: ['mini:risk.illness', 'mini:risk.disability'] },
      { labelKey: 'mini:label.township', value: '青山镇' },
    ] } });
    expect(keys(rs[7]!.events)).toEqual(['mini:ask_size', 'wait_started']);
    expect(rs[7]!.state).toMatchObject({ stepId: 'ask_size', returnTo: 'review' });
    expect(rs[8]!.state).toMatchObject({ stepId: 'review', answers: { householdSize: 5 } });
    expect(rs[8]!.state?.returnTo).toBeUndefined();
    const end = last(rs);
    expect(end.status).toBe('completed');
    expect(end.events).toEqual([
      { type: 'message', outbound: { type: 'text', key: 'mini:submitted', vars: {} } },
      { type: 'action', name: 'createCase', data: {
        name: '张三', idNumber: '43062119800101123X', householdSize: 5, riskTypes: ['illness', 'disability'], township: 't1', commitment: true,
      } },
      { type: 'flow_ended', reason: 'completed' },
    ]);
    expect(end.state).toMatchObject({ startedAt: '2026-01-05T08:00:00.000Z', updatedAt: '2026-01-05T08:09:00.000Z' });
    expect(engineStateSchema.safeParse(end.state).success).toBe(true);
  });

  it('a change from the review that opens a branch asks the follow-up, then returns to the review', () => {
    const rs = play([...TO_REVIEW, '5', '1 3', '孩子上学要钱']);
    expect(keys(rs[8]!.events)).toEqual(['mini:ask_other_reason', 'wait_started']);
    expect(rs[8]!.state?.returnTo).toBe('review');
    expect(last(rs).state).toMatchObject({ stepId: 'review', answers: { riskTypes: ['illness', 'other'], otherReason: '孩子上学要钱' } });
  });

  it('返回 goes to the previous question and keeps the answer until it is changed', () => {
    const rs = play([{ type: 'start' }, '张三', '43062119800101123X', '返回', '430124200002290017']);
    expect(keys(rs[3]!.events)).toEqual(['mini:ask_id', 'wait_started']);
    expect(rs[3]!.state).toMatchObject({ stepId: 'ask_id', history: ['ask_name'], answers: { idNumber: '43062119800101123X' } });
    expect(last(rs).state).toMatchObject({ stepId: 'ask_size', history: ['ask_name', 'ask_id'], answers: { idNumber: '430124200002290017' } });
  });

  it('返回 at the first question says so and asks again', () => {
    expect(keys(last(play([{ type: 'start' }, '返回'])).events)).toEqual(['engine:back.atStart', 'mini:ask_name', 'wait_started']);
  });

  it('取消 ends the flow as cancelled', () => {
    const r = last(play([{ type: 'start' }, '张三', '取消']));
    expect(r.status).toBe('completed');
    expect(r.events).toEqual([{ type: 'message', outbound: { type: 'text', key: 'engine:cancelled', vars: {} } }, { type: 'flow_ended', reason: 'cancelled' }]);
  });

  it(`${MAX_FAILURES} wrong answers in a row offer help; a right answer then moves on and resets the count`, () => {
    const rs = play([{ type: 'start' }, '张三', '123', '430621198001011231', '4306211980010112', '43062119800101123X']);
    expect(keys(rs[2]!.events)).toEqual(['engine:invalid.idNumber.length', 'mini:ask_id', 'wait_started']);
    expect(keys(rs[3]!.events)).toEqual(['engine:invalid.idNumber.checkDigit', 'mini:ask_id', 'wait_started']);
    expect(keys(rs[4]!.events)).toEqual(['engine:invalid.idNumber.length', 'engine:tooManyFailures', 'wait_started']);
    expect(rs[4]!.state?.failures).toBe(3);
    expect(last(rs).state).toMatchObject({ stepId: 'ask_size', failures: 0 });
  });

  it('人工 asks for a person and keeps waiting at the same step', () => {
    const r = last(play([{ type: 'start' }, '张三', '人工']));
    expect(r.status).toBe('waiting');
    expect(r.events).toEqual([
      { type: 'handover', stepId: 'ask_id' },
      { type: 'message', outbound: { type: 'text', key: 'engine:handover', vars: {} } },
      { type: 'wait_started', stepId: 'ask_id' },
    ]);
    expect(r.state).toMatchObject({ stepId: 'ask_id', answers: { name: '张三' } });
  });

  it('重新开始 clears the answers and starts over', () => {
    const r = last(play([{ type: 'start' }, '张三', '43062119800101123X', '重新开始']));
    expect(keys(r.events)).toEqual(['engine:restarted', 'mini:ask_name', 'wait_started']);
    expect(r.state).toMatchObject({ stepId: 'ask_name', answers: {}, history: [], startedAt: '2026-01-05T08:00:00.000Z' });
  });

  it('帮助 shows the step help (or the general help) and asks again', () => {
    const rs = play([{ type: 'start' }, '帮助', '张三', 'help']);
    expect(keys(rs[1]!.events)).toEqual(['mini:help_name', 'mini:ask_name', 'wait_started']);
    expect(keys(rs[3]!.events)).toEqual(['engine:help', 'mini:ask_id', 'wait_started']);
  });

  it('declining the commitment ends politely without a case', () => {
    const r = last(play([{ type: 'start' }, '张三', '43062119800101123X', '4', '1', '绿水', '不同意']));
    expect(r.events).toEqual([{ type: 'message', outbound: { type: 'text', key: 'mini:declined', vars: {} } }, { type: 'flow_ended', reason: 'declined' }]);
  });

  it('a timeout reminds and asks again; expiry ends the flow', () => {
    expect(keys(last(play([{ type: 'start' }, { type: 'timeout' }])).events)).toEqual(['engine:reminder', 'mini:ask_name', 'wait_started']);
    const r = last(play([{ type: 'start' }, { type: 'expired' }]));
    expect(r.status).toBe('completed');
    expect(keys(r.events)).toEqual(['engine:expired', 'flow_ended']);
  });
});

describe('run: a start with answers given', () => {
  it('keeps them (a staff form pre-selecting what the household declared) and asks from the start', () => {
    const [r] = play([{ type: 'start', answers: { riskTypes: ['disability'], constructor: 'kept as an own answer' } }]);
    expect(r!.state?.stepId).toBe('ask_name');
    expect(Object.hasOwn(r!.state!.answers, 'constructor')).toBe(true);
    expect(r!.state?.answers.riskTypes).toEqual(['disability']);
  });
  it('a chooseMany already answered shows the choice and 对 keeps it', () => {
    const rs = play([{ type: 'start', answers: { riskTypes: ['disability'] } }, '张三', '43062119800101123X', '4', '对']);
    expect(rs[3]!.events[0]).toMatchObject({ outbound: { key: 'engine:choice.current', vars: { current: 'disability' } } });
    expect(rs[4]!.state).toMatchObject({ stepId: 'ask_township', answers: { riskTypes: ['disability'] } });
  });
});

describe('run: failures are data', () => {
  const started = play([{ type: 'start' }])[0]!.state!;

  it('a message without state', () => {
    expect(step(flow, undefined, { type: 'message', text: 'hi' }, new Date(T0))).toEqual({ state: null, status: 'failed', events: [{ type: 'failure', code: 'state.missing' }] });
  });
  it('state of another flow version', () => {
    const r = step(flow, { ...started, flowVersion: 0 }, { type: 'message', text: 'hi' }, new Date(T0));
    expect(r.status).toBe('failed');
    expect(r.events).toEqual([{ type: 'failure', code: 'state.mismatch', detail: 'mini@0 v1' }]);
  });
  it('an input that is not an engine input', () => {
    const r = step(flow, started, { type: 'poke' } as unknown as EngineInput, new Date(T0));
    expect(r.events).toEqual([{ type: 'failure', code: 'input.invalid' }]);
  });
  it('more steps in one turn than allowed', () => {
    const r = step(flow, undefined, { type: 'start' }, new Date(T0), { maxStepsPerTurn: 0 });
    expect(r).toMatchObject({ status: 'failed', events: [{ type: 'failure', code: 'maxStepsPerTurn', detail: '0' }] });
  });
  it('a start with answers given never takes a field named __proto__ (it would replace the answers\' prototype)', () => {
    const input = JSON.parse('{"type":"start","answers":{"__proto__":{"polluted":"yes"},"riskTypes":["illness"]}}') as EngineInput;
    const r = step(flow, undefined, input, new Date(T0));
    expect(r.status).toBe('waiting');
    expect(Object.getPrototypeOf(r.state!.answers)).toBe(Object.prototype);
    expect(Object.keys(r.state!.answers)).toEqual(['riskTypes']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
  it('is deterministic: same arguments, same result', () => {
    const a = play([...TO_REVIEW, '1']);
    const b = play([...TO_REVIEW, '1']);
    expect(a).toEqual(b);
  });
});

afterAll(() => {
  // Every engine: key emitted in these conversations is in the list templates must provide.
  expect([...emittedKeys].filter((k) => !ENGINE_TEXT_KEYS.includes(k))).toEqual([]);
});
