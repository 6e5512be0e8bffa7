import type { DeclarationService } from '../cases/declaration-service.js';
import type { StaffTexts } from '../conversation/staff-texts.js';
import type { Locale } from '../i18n/i18n.js';
import type { StaffMember } from '../org/org.js';
import type { FoundLead, LeadOpener, LeadOutcome } from './lead-opener.js';

/**
 * Opens a visit's lead through the declaration service, like any lead a cadre reports (基层干部排查): source
 * `cadreCheck`, the cadre as opener and declarant, the visit date as the day it was found. The household has
 * not signed anything yet: its commitment is recorded at the home verification. One open case per household.
 */
export function declarationLeadOpener(declarations: DeclarationService, staff: StaffTexts, locale: Locale = 'zh-CN'): LeadOpener {
  return {
    async open(lead: FoundLead, member: StaffMember, now: Date, requestId: string): Promise<LeadOutcome> {
      const result = await declarations.open(
        {
          answers: {
            householdHead: lead.head,
            idNumber: lead.idNumber,
            phone: lead.phone,
            township: lead.township,
            village: lead.village,
            ...(lead.group ? { group: lead.group } : {}),
            householdSize: lead.householdSize,
            riskTypes: lead.riskTypes,
            ...(lead.otherReason ? { otherReason: lead.otherReason } : {}),
            basicGuarantees: lead.basicGuarantees,
            description: lead.description,
          },
          source: 'cadreCheck',
          leadFoundOn: lead.leadFoundOn,
          openedBy: { userId: member.userId },
          declarant: { channel: 'app', userId: member.userId },
          declaredBy: member.userId,
          requestId: `check:${requestId}`,
        },
        now,
      );
      if (result.kind === 'refused') return { kind: 'refused', reason: staff.refusal(locale, result.refusal) };
      return { kind: result.kind, caseId: result.record._id, caseNumber: result.record.caseNumber };
    },
  };
}
