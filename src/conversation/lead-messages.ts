import type { CaseRecord } from '../cases/case-record.js';
import type { Outbound } from '../channel/messages.js';
import { formatDate } from '../i18n/format-date.js';
import type { Locale } from '../i18n/i18n.js';
import type { Org } from '../org/org.js';
import type { Refusal } from '../procedure/refusals.js';
import type { StaffTexts } from './staff-texts.js';

/** What a staff member who entered a lead (上报线索, 代申报) is told: the case opened, or the household's open case. */
export class LeadMessages {
  constructor(private readonly deps: { staff: StaffTexts; org: Org }) {}

  private t(locale: Locale, key: string, vars: Record<string, string | number> = {}): string {
    return this.deps.staff.t(locale, key, vars);
  }

  private vars(locale: Locale, record: CaseRecord): Record<string, string> {
    return {
      caseNumber: record.caseNumber,
      head: record.household.head,
      place: this.deps.org.placeName(record.area.group ?? record.area.village),
      foundOn: formatDate(locale, record.procedure.leadFoundOn),
      identificationBy: formatDate(locale, record.procedure.deadlines.identification),
    };
  }

  /** The case is open: its number, the 15-day deadline, who got the cards, and that the outcomes come back to them. */
  opened(locale: Locale, record: CaseRecord): Outbound {
    const kind = record.procedure.source === 'cadreCheck' ? 'cadreCheck' : 'selfDeclaration';
    const lines = [this.t(locale, `lead.opened.${kind}`, this.vars(locale, record)), this.t(locale, 'lead.next')];
    if (!record.declaration?.commitmentAt) lines.push(this.t(locale, 'lead.unsigned'));
    return { type: 'text', text: lines.join('\n') };
  }

  /** The household already has an open case (whoever opened it): no second one; the staff member is told which. */
  duplicate(locale: Locale, record: CaseRecord): Outbound {
    const stage = this.deps.staff.stage(locale, record.procedure.stage);
    return { type: 'text', text: this.t(locale, 'lead.duplicate', { ...this.vars(locale, record), stage }) };
  }

  /** The procedure would not open it (e.g. the village is not one the staff member serves): why, and what would let it pass. */
  refused(locale: Locale, refusal: Refusal): Outbound {
    return { type: 'text', text: this.t(locale, 'lead.refused', { reason: this.deps.staff.refusal(locale, refusal) }) };
  }
}
