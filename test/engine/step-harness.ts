import { z } from 'zod';
import type { EngineEvent } from '../../src/engine/events.js';
import { formatFlowError } from '../../src/engine/flow-error.js';
import { flowSchema } from '../../src/engine/flow-schema.js';
import { step, type TurnResult } from '../../src/engine/run.js';
import { ENGINE_STATE_VERSION, type EngineState, type EngineInput } from '../../src/engine/state.js';
import type { RunContext } from '../../src/engine/step-types/index.js';
import { validateFlow } from '../../src/engine/validate-flow.js';

export const NOW = new Date('2026-01-05T08:00:00.000Z');

/** Labels in the "user's locale", so typed labels can be matched. */
export const FX_TEXTS: Record<string, string> = {
  'fx:opt.illness': '因病',
  'fx:opt.disability': '因残',
  'fx:opt.disaster': '因灾',
  'fx:opt.other': '其他',
  'fx:opt.none': '以上都没有',
  'fx:label.name': '姓名',
  'fx:label.size': '家庭人口',
  'fx:label.risks': '风险类型',
};

export const FX_CTX: RunContext = {
  text: (key) => FX_TEXTS[key],
  options: {
    townships: () => [
      { id: 't1', label: '青山镇' },
      { id: 't2', label: '绿水乡' },
      { id: 't3', label: '青云镇' },
    ],
  },
};

/** The step under test is `subject`; `done` and `other` are targets, `name`/`size`/`risks` ask fields for reviews. */
export function fixtureFlow(subject: unknown): unknown {
  return {
    id: 'fx',
    version: 1,
    namespace: 'fx',
    start: 'subject',
    steps: {
      subject,
      done: { type: 'text', prompt: 'done', validator: 'nonEmpty', next: 'subject' },
      other: { type: 'text', prompt: 'other', validator: 'nonEmpty', next: 'subject' },
      name: { type: 'text', prompt: 'ask_name', validator: 'nonEmpty', next: 'subject' },
      size: { type: 'number', prompt: 'ask_size', min: 1, max: 20, next: 'subject' },
      risks: {
        type: 'chooseMany',
        prompt: 'ask_risks',
        options: [{ id: 'illness', label: 'opt.illness' }, { id: 'other', label: 'opt.other' }],
        next: 'subject',
      },
    },
  };
}

export const fixtureSchema = z.strictObject({
  description: z.string(),
  step: z.record(z.string(), z.unknown()),
  state: z.record(z.string(), z.unknown()).optional(),
  input: z.unknown().optional(),
  expectedEvents: z.array(z.unknown()).optional(),
  expectedState: z.record(z.string(), z.unknown()).optional(),
  expectedStatus: z.string().optional(),
  readError: z.string().optional(),
});
export type StepFixture = z.infer<typeof fixtureSchema>;

/** Runs one fixture: either the validation error of the subject step, or one turn. */
export function runFixture(f: StepFixture): { readError?: string; result?: TurnResult } {
  const v = validateFlow(fixtureFlow(f.step), { locales: ['zh-CN', 'en'], hasKey: () => true, optionSources: ['townships'], checks: ['openCase'] });
  // Only the subject's own errors count: the helper steps are unreachable from some subjects on purpose.
  const own = v.ok ? [] : v.errors.filter((e) => e.path[0] === 'step "subject"' || e.path[0] === undefined);
  if (own.length) return { readError: own.map((e) => formatFlowError({ ...e, flowId: undefined })).join('\n') };
  const flow = flowSchema.parse(fixtureFlow(f.step));
  const base: EngineState = {
    v: ENGINE_STATE_VERSION, flowId: 'fx', flowVersion: 1, stepId: 'subject', answers: {}, history: [], failures: 0,
    startedAt: '2026-01-05T07:55:00.000Z', updatedAt: '2026-01-05T07:59:00.000Z',
  };
  const state = { ...base, ...(f.state ?? {}) } as EngineState;
  const input = (f.input ?? { type: 'start' }) as EngineInput;
  return { result: step(flow, state, input, NOW, FX_CTX) };
}

export type { EngineEvent };
