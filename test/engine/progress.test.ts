import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../src/engine/events.js';
import { questionPath } from '../../src/engine/progress.js';
import { step, type TurnResult } from '../../src/engine/run.js';
import type { EngineInput, EngineState } from '../../src/engine/state.js';
import { validateFlow } from '../../src/engine/validate-flow.js';
import type { Flow } from '../../src/engine/flow-schema.js';

/** A numbered flow with a branch (⑭ asks its reason) and a review, as the declaration has. */
const raw = {
  id: 'num',
  version: 1,
  namespace: 'num',
  start: 'ask_name',
  numberSteps: true,
  steps: {
    ask_name: { type: 'text', prompt: 'ask_name', field: 'name', validator: 'personName', next: 'ask_risks' },
    ask_risks: {
      type: 'chooseMany', prompt: 'ask_risks', field: 'risks',
      options: [{ id: 'illness', label: 'risk.illness' }, { id: 'other', label: 'risk.other' }],
      branches: [{ when: { includes: 'other' }, next: 'ask_reason' }], next: 'ask_description',
    },
    ask_reason: { type: 'text', prompt: 'ask_reason', field: 'reason', validator: 'shortText', next: 'ask_description' },
    ask_description: { type: 'text', prompt: 'ask_description', field: 'description', validator: 'longText', maxLength: 100, gather: true, next: 'review' },
    review: {
      type: 'review', prompt: 'review', next: 'done',
      fields: [{ field: 'name', label: 'l.name' }, { field: 'risks', label: 'l.risks' }, { field: 'reason', label: 'l.reason' }, { field: 'description', label: 'l.description' }],
    },
    done: { type: 'end', action: 'createCase' },
  },
};
const v = validateFlow(raw, { locales: ['zh-CN'], hasKey: () => true });
if (!v.ok) throw new Error(JSON.stringify(v.errors));
const flow: Flow = v.flow;
const NOW = new Date('2026-11-22T08:00:00Z');

function play(inputs: (string | EngineInput)[], from?: EngineState): TurnResult[] {
  let state = from;
  return inputs.map((i) => {
    const r = step(flow, state, typeof i === 'string' ? { type: 'message', text: i } : i, NOW);
    state = r.state ?? undefined;
    return r;
  });
}
/** The question of a turn as "3/4 num:ask_x", or the bare key when it is not numbered. */
function question(events: EngineEvent[]): string | undefined {
  const asked = events.filter((e) => e.type === 'message').at(-1);
  if (!asked || asked.type !== 'message') return undefined;
  const { key, vars } = asked.outbound;
  return key === 'engine:numbered' ? `${vars.step}/${vars.steps} ${vars.numberedKey}` : key;
}

describe('numbered questions', () => {
  it('count the questions the answers lead to: 3 without ⑭, 4 once ⑭ is chosen', () => {
    const rs = play([{ type: 'start' }, '张富贵', '1,2', '欠债', '看病花钱', '说完了']);
    expect(rs.slice(0, 4).map((r) => question(r.events))).toEqual(['1/3 num:ask_name', '2/3 num:ask_risks', '3/4 num:ask_reason', '4/4 num:ask_description']);
    expect(questionPath(flow, {})).toEqual(['ask_name', 'ask_risks', 'ask_description']);
  });

  it('keep their number when asked again after a wrong answer', () => {
    const rs = play([{ type: 'start' }, '你好', '张3']);
    expect(rs.map((r) => question(r.events))).toEqual(['1/3 num:ask_name', '1/3 num:ask_name', '1/3 num:ask_name']);
  });

  it('show no number when changed from the review', () => {
    const rs = play([{ type: 'start' }, '张富贵', '1', '看病花钱', '说完了']);
    expect(rs[4]!.state?.stepId).toBe('review');
    // In the review, 1 submits and 2 is the first field shown (the name).
    const change = play(['2'], rs[4]!.state!);
    expect(question(change[0]!.events)).toBe('num:ask_name');
  });

  it('a review submitted while a question on the way has no answer asks it first', () => {
    const rs = play([{ type: 'start' }, '张富贵', '1', '看病花钱', '说完了', '4', '重新说', '返回', '1']);
    expect(rs[7]!.state?.stepId).toBe('review');
    const submit = rs[8]!;
    expect(submit.status).toBe('waiting');
    expect(submit.state?.stepId).toBe('ask_description');
    expect(submit.events.map((e) => (e.type === 'message' ? e.outbound.key : e.type))).toEqual(['engine:review.missing', 'num:ask_description', 'wait_started']);
  });
});
