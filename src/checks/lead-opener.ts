import type { StaffMember } from '../org/org.js';
import type { IsoDate } from '../policy/index.js';

/**
 * A lead a visit found, prefilled from the visit (基层干部排查, source `cadreCheck`): the 15-day clock starts on
 * the visit date. Personal data comes opened from the register or the case and goes straight back into the vault.
 * @example { "head": "张三", "idNumber": "430621…", "phone": "13812345678", "householdSize": 3, "township": "430621101",
 *   "village": "430621101201", "riskTypes": ["illness"], "basicGuarantees": ["none"], "description": "走访发现：…", "leadFoundOn": "2026-12-03" }
 */
export interface FoundLead {
  head: string;
  idNumber: string;
  phone: string;
  householdSize: number;
  township: string;
  village: string;
  group?: string;
  riskTypes: string[];
  otherReason?: string;
  basicGuarantees: string[];
  description: string;
  leadFoundOn: IsoDate;
}

/** What opening a lead led to: a new case, the household's case already open, or the rules' refusal (in words). */
export type LeadOutcome =
  | { kind: 'created'; caseId: string; caseNumber: string }
  | { kind: 'duplicate'; caseId: string; caseNumber: string }
  | { kind: 'refused'; reason: string };

/** Opens a cadre-reported lead; the casework's own service behind it (src/conversation/build.ts wires it). */
export interface LeadOpener {
  open(lead: FoundLead, member: StaffMember, now: Date, requestId: string): Promise<LeadOutcome>;
}
