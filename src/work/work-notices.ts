import type { Logger } from 'pino';
import type { CaseRecord } from '../cases/case-record.js';
import { decisionCard, placeOf } from '../conversation/decision-card-view.js';
import { cardKind } from '../conversation/decision-cards.js';
import type { StaffTexts } from '../conversation/staff-texts.js';
import { formatDate, formatMonthDayTime } from '../i18n/format-date.js';
import { maskName } from '../privacy/mask-name.js';
import { DEFAULT_LOCALE } from '../i18n/i18n.js';
import type { Org } from '../org/org.js';
import { messagesTo, type Outbox } from '../outbox/outbox-item.js';
import type { PolicyProfile } from '../policy/profile.js';
import { shanghaiDate } from '../policy/dates.js';
import { pendingFor } from '../procedure/pending.js';

/** Who took a step, when, and which step it was (a procedure action). */
export interface StepTakenBy {
  name: string;
  at: Date;
  action?: string;
}

/** Cards sent earlier for a case, as the outbox kept them (with the single-use codes to update them). */
export interface SentCards {
  cardsOf(caseId: string): Promise<{ card?: { version: number; action: string }; responseCodes?: string[] }[]>;
}

/**
 * The work comes to the person: when a case moves (or is opened), every card sent for an earlier version is
 * greyed out for everyone who got it, and each step now waiting goes, as a card, to each person who may take
 * it (a yes/no card, or a form's 开始填写). Deterministic ids: doing it twice sends nothing twice.
 */
export class WorkNotices {
  constructor(
    private readonly deps: {
      org: Org;
      staff: StaffTexts;
      outbox: Outbox;
      sentCards: SentCards;
      profileOf: (record: CaseRecord) => PolicyProfile;
      logger: Logger;
    },
  ) {}

  /** `by`: who took the step, when, and which step (`action`): only cards for that same step say they took it. */
  async stepTaken(record: CaseRecord, by: StepTakenBy | undefined, now: Date): Promise<void> {
    await this.closeEarlierCards(record, by);
    await this.sendCards(record, now);
    await this.fileWithCounty(record);
  }

  /**
   * Where the township decides (Henan: "乡镇将监测对象名单报县级乡村振兴部门备案"), the county's approvers are told
   * of each decision to file it. Identification is told while the case waits for registration.
   */
  private async fileWithCounty(record: CaseRecord): Promise<void> {
    const { org, staff, outbox } = this.deps;
    const { stage, identifiedOn, eliminatedOn, villageCode } = record.procedure;
    if (this.deps.profileOf(record).approval !== 'townshipDecidesCountyFiles') return;
    const decided = stage === 'identified' ? identifiedOn : stage === 'eliminated' ? eliminatedOn : undefined;
    if (!decided) return;
    const locale = DEFAULT_LOCALE;
    const township = org.lineage(villageCode).find((a) => a.level === 'township');
    const text = staff.t(locale, `filing.${stage}`, {
      township: township?.name ?? '',
      head: maskName(record.household.head),
      place: placeOf(org, record),
      caseNumber: record.caseNumber,
      date: formatDate(locale, decided),
    });
    for (const member of org.staffServing(villageCode, 'countyApprover')) {
      await outbox.enqueue(messagesTo(`filing:${record._id}:${stage}:${member.userId}`, 'notice', { channel: 'app', userId: member.userId }, [{ type: 'text', text }], { caseId: record._id }));
    }
  }

  /**
   * Greys out the cards of earlier versions. A card for the step just taken says who took it; any other card (the
   * cross-check's while an objection was recorded, the home visit's while fast track was marked) only says the
   * case has moved on, so nobody reads that a step was done that was not (a new card follows when it still waits).
   */
  private async closeEarlierCards(record: CaseRecord, by: StepTakenBy | undefined): Promise<void> {
    const { staff, outbox, sentCards } = this.deps;
    const locale = DEFAULT_LOCALE;
    // The household answering on 微信客服 is recorded in its monitoring contact's name: its cards say the household did.
    const byHousehold = by?.action === 'recordHouseholdAgreement' && record.procedure.elimination?.householdAgreedVia === 'kf';
    const tookIt = by
      ? staff.t(locale, byHousehold ? 'card.done.byHousehold' : 'card.done.byOther', { name: by.name, at: formatMonthDayTime(locale, by.at) })
      : undefined;
    const movedOn = staff.t(locale, 'card.done.movedOn');
    for (const sent of await sentCards.cardsOf(record._id)) {
      if (!sent.card || sent.card.version >= record.procedure.version) continue;
      const replaceName = tookIt && (by?.action === undefined || by.action === sent.card.action) ? tookIt : movedOn;
      for (const code of sent.responseCodes ?? []) {
        await outbox.enqueue([{ id: `cardupdate:${code}`, purpose: 'cardUpdate', caseId: record._id, delivery: { type: 'cardUpdate', update: { response_code: code, button: { replace_name: replaceName } } } }]);
      }
    }
  }

  /** Every staff member whose areas reach the case's village, asked what they may do now. */
  private async sendCards(record: CaseRecord, now: Date): Promise<void> {
    const { org, staff, outbox } = this.deps;
    const profile = this.deps.profileOf(record);
    const today = shanghaiDate(now);
    const village = record.procedure.villageCode;
    for (const member of org.file.staff.filter((m) => m.areas.some((a) => org.contains(a, village)))) {
      for (const pending of pendingFor(record.procedure, member.userId, org, profile)) {
        if (!cardKind(pending.action) || (pending.availableFrom && pending.availableFrom > today)) continue;
        const card = decisionCard({ record, pending, org, staff, locale: DEFAULT_LOCALE });
        if (!card) continue;
        const id = `card:${record._id}:v${record.procedure.version}:${pending.action}:${member.userId}`;
        await outbox.enqueue(
          messagesTo(id, 'card', { channel: 'app', userId: member.userId }, [{ type: 'card', card }], { caseId: record._id, card: { version: record.procedure.version, action: pending.action } }),
        );
      }
    }
  }
}
