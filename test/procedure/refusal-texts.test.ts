import { describe, expect, it } from 'vitest';
import { StaffTexts } from '../../src/conversation/staff-texts.js';
import { createTexts, LOCALES } from '../../src/i18n/i18n.js';
import { REFUSAL_REASONS, type RefusalReason } from '../../src/procedure/refusals.js';

// Every refusal tells staff why and what would let the step pass, with its detail values written out.
// One detail per code, with the keys the procedure sends (see where each code is refused).
const DETAIL: Record<RefusalReason, Record<string, unknown>> = {
  'case.movedOn': { caseVersion: 7, stage: 'publicNotice' },
  'case.stillOpen': { caseId: 'c-1', stage: 'monitoring' },
  'action.invalid': { issues: [{ path: 'reasons.0', message: 'must not contain an ID number or a phone number' }] },
  'action.notAllowedInStage': { stage: 'townshipReview', action: 'recordAppraisal' },
  'actor.unknown': { userId: 'zhaoliu' },
  'actor.roleNotAllowed': { allowedRoles: ['villageSecretary', 'townshipReviewer'] },
  'actor.outsideArea': { villageCode: '430621101202', roles: ['cadre'] },
  'staff.notEligible': { userIds: ['suncadre'] },
  'fastTrack.alreadyMarked': { markedOn: '2026-03-02' },
  'fastTrack.notMarked': {},
  'fastTrack.reliefFirst': { markedOn: '2026-03-02' },
  'fastTrack.reliefAlreadyRecorded': { reliefOn: '2026-03-03' },
  'fastTrack.reliefDateInFuture': { givenOn: '2026-03-09' },
  'fastTrack.reliefBeforeLead': { givenOn: '2026-02-28', leadFoundOn: '2026-03-02' },
  'homeVerification.teamTooSmall': { verifiedBy: 1 },
  'homeVerification.commitmentMissing': {},
  'homeVerification.dateInFuture': { visitedOn: '2026-12-03' },
  'homeVerification.beforeLead': { visitedOn: '2026-11-20', leadFoundOn: '2026-11-22' },
  'homeVerification.reasonMissing': {},
  'measureEntry.noPlan': {},
  'measureEntry.alreadyEntered': { enteredOn: '2026-12-01' },
  'measureEntry.dateInFuture': { enteredOn: '2026-12-09' },
  'measureEntry.beforePlan': { enteredOn: '2026-11-20', plannedOn: '2026-11-25' },
  'crossCheck.pending': {},
  'crossCheck.notPending': { status: 'clear' },
  'notice.notEnded': { startsOn: '2026-03-05', endsOn: '2026-03-10' },
  'notice.ended': { endsOn: '2026-03-10' },
  'notice.objectionOpen': { objectionIds: ['obj-1'] },
  'objection.unknown': { objectionId: 'obj-9' },
  'objection.alreadyResolved': { status: 'upheld' },
  'elimination.noIncomeThreshold': { year: 2027, profileKey: 'hunan-2022@1', file: 'config/profiles/hunan-2022.yaml', setting: 'incomeThreshold.perYear."2027"' },
  'elimination.incomeMissing': { year: 2026 },
  'elimination.incomeBelowLine': { year: 2026, netIncomePerCapita: 6800, threshold: 7000 },
  'elimination.noLabourHold': {},
  'elimination.tooSoonByAssistance': { identifiedOn: '2026-03-10', earliestMonth: '2026-05' },
  'elimination.holdReasonMissing': {},
  'householdAgreement.dateInFuture': { signedOn: '2026-06-09' },
  'householdAgreement.beforeProposal': { signedOn: '2026-05-30', proposedOn: '2026-06-01' },
  'handOver.sameUser': {},
  'handOver.notAssigned': { userId: 'wangcadre' },
  'handOver.successorNotEligible': { userId: 'suncadre' },
};

const texts = createTexts();
const staff = new StaffTexts(texts);

describe('refusal texts for staff', () => {
  it.each(REFUSAL_REASONS)('%s: worded in every locale, every placeholder filled from what the procedure sends', (reason) => {
    for (const locale of LOCALES) {
      expect(texts.has(locale, `staff:refusal.${reason}`), `${locale} staff:refusal.${reason}`).toBe(true);
      const text = staff.refusal(locale, { reason, detail: DETAIL[reason] });
      expect(text, `${locale} ${reason}`).not.toContain('{{');
      // A reason and a way forward: at least two sentences.
      expect(text.split(locale === 'en' ? /[.:;] / : /[。；：]/).filter((s) => s.trim()).length, `${locale} ${reason}: ${text}`).toBeGreaterThanOrEqual(2);
    }
  });

  it('writes dates, months, amounts and the missing setting out', () => {
    expect(staff.refusal('zh-CN', { reason: 'notice.notEnded', detail: DETAIL['notice.notEnded'] })).toContain('要到2026年3月10日才期满');
    expect(staff.refusal('zh-CN', { reason: 'elimination.tooSoonByAssistance', detail: DETAIL['elimination.tooSoonByAssistance'] })).toContain('请在2026年5月起再提出');
    expect(staff.refusal('en', { reason: 'elimination.incomeBelowLine', detail: DETAIL['elimination.incomeBelowLine'] })).toContain('is 6800 yuan, below that year\'s line of 7000 yuan');
    expect(staff.refusal('zh-CN', { reason: 'elimination.noIncomeThreshold', detail: DETAIL['elimination.noIncomeThreshold'] })).toContain(
      '还没有设定2027年的监测收入标准（政策配置文件 config/profiles/hunan-2022.yaml 中的 incomeThreshold.perYear."2027"）',
    );
  });
});
