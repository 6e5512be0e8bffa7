import { z } from 'zod';
import { amountStep, amountStepSchema } from './amount.js';
import { appendStep, appendStepSchema } from './append.js';
import { chooseManyStep, chooseManyStepSchema } from './choose-many.js';
import { chooseOneStep, chooseOneStepSchema } from './choose-one.js';
import { confirmStep, confirmStepSchema } from './confirm.js';
import { dateStep, dateStepSchema } from './date.js';
import { endStep, endStepSchema } from './end.js';
import { numberStep, numberStepSchema } from './number.js';
import { reviewStep, reviewStepSchema } from './review.js';
import type { StepDef } from './step-def.js';
import { textStep, textStepSchema } from './text.js';

export type { StepDef, RunContext, DynamicOption, StepContext } from './step-def.js';

/** Any step of a flow, discriminated by `type`. @example { "type": "number", "prompt": "ask_size", "min": 1, "next": "review" } */
export const stepSchema = z.discriminatedUnion('type', [
  textStepSchema,
  numberStepSchema,
  dateStepSchema,
  amountStepSchema,
  chooseOneStepSchema,
  chooseManyStepSchema,
  confirmStepSchema,
  reviewStepSchema,
  appendStepSchema,
  endStepSchema,
]);
export type Step = z.infer<typeof stepSchema>;

/** Step types by `type`. Adding one here without a fixture file in test/engine/step-types/ fails the tests. */
export const STEP_TYPES: Readonly<Record<Step['type'], StepDef<Step>>> = {
  text: textStep as StepDef<Step>,
  number: numberStep as StepDef<Step>,
  date: dateStep as StepDef<Step>,
  amount: amountStep as StepDef<Step>,
  append: appendStep as StepDef<Step>,
  chooseOne: chooseOneStep as StepDef<Step>,
  chooseMany: chooseManyStep as StepDef<Step>,
  confirm: confirmStep as StepDef<Step>,
  review: reviewStep as StepDef<Step>,
  end: endStep as StepDef<Step>,
};

export function isStepType(type: string): type is Step['type'] {
  return Object.hasOwn(STEP_TYPES, type);
}

export function stepDef(step: Step): StepDef<Step> {
  return STEP_TYPES[step.type];
}
