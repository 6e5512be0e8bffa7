import { yearOf } from '../policy/dates.js';
import type { ELIMINATION_METHODS } from '../procedure/case-snapshot.js';
import type { Answers } from '../engine/events.js';
import type { FormContext, FormDef } from './form-defs.js';
import { noteOf, num, str, visitorsOf } from './form-defs.js';

type Method = (typeof ELIMINATION_METHODS)[number];

/** When the running elimination was proposed: the visit and the household's signature are not dated before it. */
const proposedOn = ({ record }: FormContext): Answers => (record.procedure.elimination ? { caseProposedOn: record.procedure.elimination.proposedOn } : {});

/**
 * 拟风险消除: how the risk went, this year's per-capita income, and what changed. The probe asks the procedure
 * for natural elimination without a figure: what no answer can change (no labour capacity, no income line for
 * the year) is said before the first question.
 */
export const eliminationProposalForm: FormDef = {
  flowId: 'elimination-proposal',
  prefill: () => ({}),
  probe: () => ({ type: 'proposeElimination', method: 'natural' }),
  toAction(answers, { today }) {
    const note = noteOf(answers.changes);
    return {
      type: 'proposeElimination',
      method: str(answers.method) as Method,
      income: { year: yearOf(today), netIncomePerCapita: num(answers.income) ?? 0 },
      ...(note ? { note } : {}),
    };
  },
};

/**
 * 风险消除·入户核实 (annex 3): the team, this year's income, whether the guarantees and the risks are stably settled
 * (either not: the household stays monitored, with the reason), and labour capacity. The household's registers
 * are kept as they are (the step records them, and this visit does not ask).
 */
export const eliminationVerificationForm: FormDef = {
  flowId: 'elimination-verification',
  prefill: proposedOn,
  toAction(answers, { member, org, record, today }) {
    const coVisitors = visitorsOf(answers, org);
    const labour = str(answers.labour) as 'full' | 'partial' | 'none' | undefined;
    const guaranteesStable = answers.guaranteesStable !== false;
    const risksGone = answers.risksGone !== false;
    const holdReason = str(answers.holdReason);
    const note = noteOf(answers.note);
    return {
      type: 'recordHomeVerification',
      visitedOn: str(answers.visitDate)!,
      verifiedBy: [member.name, ...coVisitors],
      income: { year: yearOf(today), netIncomePerCapita: num(answers.income) ?? 0 },
      ...(labour ? { labour } : {}),
      noLabour: labour === 'none',
      registers: record.procedure.householdFlags.registers,
      guaranteesStable,
      risksGone,
      ...((!guaranteesStable || !risksGone) && holdReason ? { reasons: [holdReason] } : {}),
      ...(note ? { note } : {}),
    };
  },
};

/** 农户签字确认结果 on paper: signed on a day, or not agreed. */
export const householdSignatureForm: FormDef = {
  flowId: 'household-signature',
  prefill: proposedOn,
  toAction(answers) {
    const agrees = str(answers.result) === 'signed';
    const signedOn = agrees ? str(answers.signedOn) : undefined;
    return { type: 'recordHouseholdAgreement', agrees, via: 'paper', ...(signedOn ? { signedOn } : {}) };
  },
};
