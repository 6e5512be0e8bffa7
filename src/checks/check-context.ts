import type { CaseRepository } from '../cases/case-repository.js';
import type { Locale, Texts } from '../i18n/i18n.js';
import type { Org, StaffMember } from '../org/org.js';
import type { PolicyProfile, WorkCalendar } from '../policy/index.js';
import type { Vault } from '../privacy/vault.js';
import type { Outbox } from '../outbox/outbox-item.js';
import type { Logger } from 'pino';
import type { CampaignRepository } from './campaign.js';
import type { DueList } from './due-list.js';
import type { HouseholdRegister } from './household-register.js';
import type { LeadOpener } from './lead-opener.js';
import type { VisitRepository } from './visit-record.js';

/** What the checks room works with (wired once in src/conversation/build.ts). */
export interface ChecksDeps {
  cases: CaseRepository;
  register: HouseholdRegister;
  visits: VisitRepository;
  campaigns: CampaignRepository;
  dueList: DueList;
  vault: Vault;
  org: Org;
  texts: Texts;
  calendar: WorkCalendar;
  outbox: Outbox;
  logger: Logger;
  /** The profile a village's checks run under today (the one its new cases open under). */
  profileFor: (villageCode: string, now: Date) => PolicyProfile;
  /** Opens a lead found on a visit (source cadreCheck). */
  leads: LeadOpener;
  /** Every loaded profile (a case keeps the one it was opened under). */
  profiles?: readonly PolicyProfile[];
  /** The loaded version of a flow, stamped on each record. */
  flowVersion: (flowId: string) => number;
}

/** Roles that may record a visit in a village they serve: its cadres, its secretary, the township's reviewers. */
export function mayVisit(org: Org, member: StaffMember, village: string): boolean {
  return (['cadre', 'villageSecretary', 'townshipReviewer'] as const).some((role) => org.serves(member, role, village));
}

/** "2026年12月" / "December 2026" for a 'YYYY-MM' month. */
export function monthShown(locale: Locale, month: string): string {
  const [y, m] = [Number(month.slice(0, 4)), Number(month.slice(5, 7))];
  return locale === 'zh-CN' ? `${y}年${m}月` : new Date(Date.UTC(y, m - 1, 1)).toLocaleString('en', { month: 'long', year: 'numeric', timeZone: 'UTC' });
}

/** "12月28日" / "28 December" for a date. */
export function dayShown(locale: Locale, date: string): string {
  const [m, d] = [Number(date.slice(5, 7)), Number(date.slice(8, 10))];
  return locale === 'zh-CN' ? `${m}月${d}日` : new Date(`${date}T00:00:00Z`).toLocaleString('en', { day: 'numeric', month: 'long', timeZone: 'UTC' });
}
