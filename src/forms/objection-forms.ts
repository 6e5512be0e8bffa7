import type { CaseRecord } from '../cases/case-record.js';
import type { Answers } from '../engine/events.js';
import { QUOTE_LIMITS, quoteUserText } from '../privacy/quote-user-text.js';
import type { FormDef } from './form-defs.js';
import { str } from './form-defs.js';

/** 登记公示异议: who raised it (only when they gave their name) and what it says. */
export const objectionForm: FormDef = {
  flowId: 'objection',
  prefill: () => ({}),
  probe: () => ({ type: 'recordObjection', summary: '…' }),
  toAction(answers) {
    const raisedBy = str(answers.source) === 'named' ? str(answers.raisedBy) : undefined;
    return { type: 'recordObjection', summary: str(answers.summary)!, ...(raisedBy ? { raisedBy } : {}) };
  },
};

/** 处理公示异议: the oldest open objection of the case, upheld or dismissed, with the reason. */
export const objectionResolutionForm: FormDef = {
  flowId: 'objection-resolution',
  prefill: ({ record }): Answers => {
    const open = openObjection(record);
    return open ? { objectionId: open.id } : {};
  },
  probe: ({ record }) => ({ type: 'resolveObjection', objectionId: openObjection(record)?.id ?? 'none', upheld: false, reason: '…' }),
  // The decider reads what the objection says (staff typed it; it may name a neighbour, so it is quoted, not obeyed).
  brief: ({ record }) => {
    const open = openObjection(record);
    if (!open) return undefined;
    const vars: Record<string, string> = { raisedOn: open.raisedOn, summary: quoteUserText(open.summary, QUOTE_LIMITS.text) };
    if (!open.raisedBy) return { key: 'form.objectionBrief.anonymous', vars };
    return { key: 'form.objectionBrief.named', vars: { ...vars, raisedBy: quoteUserText(open.raisedBy, QUOTE_LIMITS.name) } };
  },
  toAction: (answers) => ({ type: 'resolveObjection', objectionId: str(answers.objectionId) ?? '', upheld: str(answers.result) === 'upheld', reason: str(answers.reason)! }),
};

/** The objection decided next: the oldest still open. */
function openObjection(record: CaseRecord) {
  return record.procedure.objections.find((o) => o.status === 'open');
}
