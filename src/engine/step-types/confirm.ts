import { z } from 'zod';
import { say } from '../events.js';
import { normaliseWord, resolveKey } from '../normalise.js';
import { askFields, askKeys, askTargets } from './common.js';
import type { StepDef } from './step-def.js';

export const YES_WORDS = ['是', '是的', '好', '好的', '同意', '确认', '对', '对的', '可以', '嗯', 'y', 'yes', 'ok', '1'];
export const NO_WORDS = ['否', '不', '不是', '不同意', '不要', '不行', '不对', 'n', 'no', '2'];

/** Reads a yes/no reply (or a tapped `yes`/`no` menu item); undefined when it is neither. */
export function readYesNo(text: string, menuId?: string): boolean | undefined {
  if (menuId === 'yes' || menuId === 'no') return menuId === 'yes';
  const w = normaliseWord(text);
  if (YES_WORDS.includes(w)) return true;
  if (NO_WORDS.includes(w)) return false;
  return undefined;
}

export const confirmStepSchema = z.strictObject({
  type: z.literal('confirm'),
  ...askFields,
  /** Where a "no" goes (e.g. an `end` step with reason `declined`); without it the flow ends declined. */
  onNo: z.string().optional(),
});

/**
 * Ask yes or no; stores true/false. "Yes" follows `next`/`branches`, "no" goes to `onNo`.
 * @example { "type": "confirm", "prompt": "ask_commitment", "field": "commitment", "next": "review", "onNo": "declined" }
 */
export type ConfirmStep = z.infer<typeof confirmStepSchema>;

export const confirmStep: StepDef<ConfirmStep> = {
  type: 'confirm',
  schema: confirmStepSchema,
  waits: true,
  enter: (step, c) => ({
    kind: 'ask',
    outbound: {
      type: 'choices',
      key: resolveKey(c.namespace, step.prompt),
      vars: {},
      choices: [{ id: 'yes', labelKey: 'engine:confirm.yes' }, { id: 'no', labelKey: 'engine:confirm.no' }],
    },
  }),
  answer(step, input) {
    const yes = readYesNo(input.text, input.menuId);
    if (yes === undefined) return { kind: 'invalid', reason: 'engine:invalid.confirm' };
    if (yes) return { kind: 'answer', value: true };
    if (step.onNo) return { kind: 'answer', value: false, goto: step.onNo };
    return { kind: 'end', reason: 'declined', events: [say('engine:declined'), { type: 'flow_ended', reason: 'declined' }] };
  },
  keys: askKeys,
  targets: (step) => [...askTargets(step), ...(step.onNo ? [{ path: 'onNo', target: step.onNo }] : [])],
  check: () => [],
  display: (_step, value) => ({ valueKeys: [value === true ? 'engine:confirm.yes' : 'engine:confirm.no'] }),
};
