import { yearOf } from '../policy/dates.js';
import { QUOTE_LIMITS, quoteUserText } from '../privacy/quote-user-text.js';
import type { FormDef } from './form-defs.js';
import { list, noteOf, num, str, visitorsOf } from './form-defs.js';

/**
 * 入户核实 (Hunan annex 2, the first box): the visiting team confirms which 三保障/饮水 problems (①–⑤) and
 * which risk types (⑥–⑭) exist, the household's size, income, labour and registers, and the result.
 * The household's declared answers are pre-selected for the cadre to confirm or change.
 */
export const homeVerificationForm: FormDef = {
  flowId: 'home-verification',
  prefill({ record }) {
    const declaration = record.declaration;
    return {
      ...(declaration ? { verifiedGuarantees: declaration.basicGuarantees, verifiedRisks: declaration.riskTypes } : {}),
      householdSize: record.household.size,
      // A household that declared by chat has made its commitment and authorization there; one whose cadre
      // recorded its paper 申请及承诺授权书 when opening the case (上报线索, 代申报) has signed it too.
      caseSigned: declaration !== undefined && (declaration.declarant.channel === 'kf' || declaration.commitmentAt !== undefined),
    };
  },
  // Back after an objection was upheld: the visitors read what it said and why it stood, to check it at the door.
  brief: ({ record }) => {
    if (record.procedure.stage !== 'homeVerification') return undefined;
    const upheld = record.procedure.objections.findLast((o) => o.status === 'upheld');
    if (!upheld) return undefined;
    return {
      key: 'form.reverifyBrief',
      vars: {
        raisedOn: upheld.raisedOn,
        resolvedOn: upheld.resolvedOn ?? upheld.raisedOn,
        summary: quoteUserText(upheld.summary, QUOTE_LIMITS.text),
        resolution: quoteUserText(upheld.resolution ?? '', QUOTE_LIMITS.text),
      },
    };
  },
  toAction(answers, { member, org }) {
    const visitDate = str(answers.visitDate)!;
    const coVisitors = visitorsOf(answers, org);
    const labour = str(answers.labour) as 'full' | 'partial' | 'none' | undefined;
    const confirmed = str(answers.result) !== 'notConfirmed';
    const signed = answers.caseSigned === true || answers.signed === true;
    const note = noteOf(answers.note);
    const otherReason = str(answers.otherReason);
    return {
      type: 'recordHomeVerification',
      visitedOn: visitDate,
      verifiedBy: [member.name, ...coVisitors],
      verifiedGuarantees: list(answers.verifiedGuarantees).filter((g) => g !== 'none'),
      verifiedRisks: list(answers.verifiedRisks).filter((r) => r !== 'none'),
      ...(otherReason && list(answers.verifiedRisks).includes('other') ? { otherReason } : {}),
      ...(num(answers.householdSize) ? { householdSize: num(answers.householdSize)! } : {}),
      income: { year: yearOf(visitDate), netIncomePerCapita: num(answers.income) ?? 0 },
      ...(labour ? { labour } : {}),
      noLabour: labour === 'none',
      registers: list(answers.registers).filter((r) => r !== 'none') as ('minimumLivingAllowance' | 'extremePoverty' | 'orphan' | 'unattendedChild')[],
      commitment: signed,
      authorization: signed,
      ...(note ? { note } : {}),
      confirmed,
      ...(!confirmed && str(answers.refusalReason) ? { reasons: [str(answers.refusalReason)!] } : {}),
    };
  },
};
