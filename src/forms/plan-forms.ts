import type { AssistanceMeasure } from '../procedure/case-snapshot.js';
import { proposedContacts } from '../conversation/decision-cards.js';
import type { Answers } from '../engine/events.js';
import { listItems } from '../engine/step-types/append.js';
import type { FormDef } from './form-defs.js';
import { list, str } from './form-defs.js';

/** 录入建档: 1–3 monitoring contacts chosen from the village's cadres (the visit's cadres are proposed). */
export const registrationForm: FormDef = {
  flowId: 'registration',
  prefill: ({ record, org }) => ({ monitoringContacts: proposedContacts(record.procedure, org) }),
  toAction: (answers) => ({ type: 'register', monitoringContacts: list(answers.monitoringContacts) }),
};

/** Measures gathered by the flow's `append` step (one item of measureCategory, measureContent, measureUnit each). */
export function measuresOf(value: unknown): AssistanceMeasure[] {
  return listItems(value).flatMap((m) =>
    typeof m.measureCategory === 'string' && typeof m.measureContent === 'string' && typeof m.measureUnit === 'string'
      ? [{ category: m.measureCategory as AssistanceMeasure['category'], content: m.measureContent, unit: m.measureUnit }]
      : [],
  );
}

/** 帮扶计划 (10 days): one or more measures, each with its category, a one-line content and the unit responsible. */
export const assistancePlanForm: FormDef = {
  flowId: 'assistance-plan',
  prefill: () => ({}),
  toAction: (answers) => ({ type: 'recordAssistancePlan', measures: measuresOf(answers.measures) }),
};

/** 帮扶措施录入 (1 month): the day the plan went into the national system. */
export const measureEntryForm: FormDef = {
  flowId: 'measure-entry',
  prefill: ({ record }): Answers => (record.procedure.assistancePlan ? { casePlannedOn: record.procedure.assistancePlan.plannedOn } : {}),
  toAction: (answers) => ({ type: 'recordMeasureEntry', enteredOn: str(answers.enteredOn)! }),
};
