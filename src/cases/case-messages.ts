import type { Outbound } from '../channel/messages.js';
import { formatDate } from '../i18n/format-date.js';
import type { Locale, Texts } from '../i18n/i18n.js';
import type { Org } from '../org/org.js';
import { findProfile } from '../policy/profile-select.js';
import type { PolicyProfile } from '../policy/profile.js';
import { QUOTE_LIMITS, quoteUserText } from '../privacy/quote-user-text.js';
import type { CaseRecord } from './case-record.js';
import { HouseholdMessages, quotedReasons, type HouseholdOutcome } from './household-messages.js';

/**
 * What a household wrote in its declaration, as the caller has it in hand (the case keeps it sealed).
 * @example { "description": "老伴尿毒症每周透析。", "otherReason": "孩子上学要钱" }
 */
export interface HouseholdWords {
  description: string;
  otherReason?: string;
}

/**
 * What households and staff are told about a case. Staff see ID and phone numbers masked only;
 * households see only their own cases (the caller looks them up by the declarant's address).
 * Whatever a household typed (its head's name, its reasons, its description) reaches staff only through
 * quoteUserText: on one line, in 「…」, numbers masked, so it can never pass as the system's own words.
 */
export class CaseMessages {
  /** What the household reads of its own case: 进度 and each outcome. */
  readonly household: HouseholdMessages;

  /** `profiles`: the loaded policy profiles, whose code lists name a case's risk types and 三保障 items. */
  constructor(private readonly deps: { texts: Texts; org: Org; profiles?: readonly PolicyProfile[] }) {
    this.household = new HouseholdMessages(deps);
  }

  private t(locale: Locale, key: string, vars: Record<string, string | number> = {}): string {
    return this.deps.texts.t(locale, key, vars);
  }

  private place(record: CaseRecord): string {
    return this.deps.org.placeName(record.area.group ?? record.area.village);
  }

  stageText(locale: Locale, stage: string): string {
    return this.household.stageText(locale, stage);
  }

  declared(locale: Locale, record: CaseRecord, profile: PolicyProfile): Outbound {
    return {
      type: 'text',
      text: this.t(locale, 'cases:declared', {
        caseNumber: record.caseNumber,
        steps: this.outline(locale, profile),
        identificationBy: formatDate(locale, record.procedure.deadlines.identification),
      }),
    };
  }

  /** What follows the home visit under the profile, in the household's words: 村里民主评议、公示7天、乡镇确定. */
  private outline(locale: Locale, profile: PolicyProfile): string {
    const steps = [
      ...(profile.identification.villageAppraisal ? [this.t(locale, 'cases:outline.appraisal')] : []),
      this.t(locale, 'cases:outline.notice', { days: profile.limits.publicNotice.amount }),
      this.t(locale, profile.approval === 'townshipDecidesCountyFiles' ? 'cases:outline.townshipDecides' : 'cases:outline.countyApproves'),
    ];
    return steps.join(locale === 'en' ? ', ' : '、');
  }

  /**
   * A second declaration for a household with an open case, found at its ID number (`atId`: nothing else was
   * written) or when it is submitted. Only its own declarant learns the case number and stage.
   */
  duplicate(locale: Locale, record: CaseRecord, sameDeclarant: boolean, found: 'atId' | 'atSubmit' = 'atSubmit'): Outbound {
    if (!sameDeclarant) return { type: 'text', text: this.t(locale, found === 'atId' ? 'cases:duplicateOtherAtId' : 'cases:duplicateOther') };
    return {
      type: 'text',
      text: this.t(locale, 'cases:duplicate', {
        caseNumber: record.caseNumber,
        declaredOn: formatDate(locale, record.procedure.leadFoundOn),
        stage: this.stageText(locale, record.procedure.stage),
      }),
    };
  }

  /**
   * A household with no 微信客服 address (its lead entered by a staff member) hears an outcome from that staff
   * member: what to pass on, in staff words (for a refusal, the reasons quoted and where to ask for a re-check).
   */
  tellHousehold(locale: Locale, record: CaseRecord, outcome: HouseholdOutcome): Outbound {
    const p = record.procedure;
    const date = (d: string | null | undefined) => (d ? formatDate(locale, d) : '');
    const reasons = quotedReasons(locale, p.rejection?.reasons ?? []);
    const what = this.t(locale, `cases:staffNotice.tell.${outcome}`, {
      identifiedOn: date(p.identifiedOn),
      eliminatedOn: date(p.eliminatedOn),
      measures: this.household.measures(locale, record),
      reasons,
      township: this.deps.org.area(record.area.township)?.name ?? '',
    });
    return {
      type: 'text',
      text: this.t(locale, 'cases:staffNotice.tellHousehold', { caseNumber: record.caseNumber, head: quoteUserText(record.household.head, QUOTE_LIMITS.name), place: this.place(record), what }),
    };
  }

  /** Tells the monitoring contacts that an open case was declared again, with what was written this time. */
  repeatNotice(locale: Locale, record: CaseRecord, again: HouseholdWords & { riskTypes: string[] }, fromOther: boolean): Outbound {
    return {
      type: 'text',
      text: this.t(locale, 'cases:staffNotice.repeatDeclaration', {
        caseNumber: record.caseNumber,
        head: quoteUserText(record.household.head, QUOTE_LIMITS.name),
        place: this.place(record),
        fromOther: fromOther ? this.t(locale, 'cases:staffNotice.fromOther') : '',
        riskTypes: this.riskTypes(locale, record, again.riskTypes, again.otherReason),
        description: quoteUserText(again.description),
      }),
    };
  }

  /** Tells the monitoring contacts that someone began declaring the household again and was stopped at its ID number. */
  repeatStoppedNotice(locale: Locale, record: CaseRecord, fromOther: boolean): Outbound {
    return {
      type: 'text',
      text: this.t(locale, 'cases:staffNotice.repeatStopped', {
        caseNumber: record.caseNumber,
        head: quoteUserText(record.household.head, QUOTE_LIMITS.name),
        place: this.place(record),
        fromOther: fromOther ? this.t(locale, 'cases:staffNotice.fromOther') : '',
      }),
    };
  }

  /** `⑥因病、⑭其他「…」`: the ⑭ reason, quoted, right after its own label. */
  private riskTypes(locale: Locale, record: CaseRecord, ids: string[], otherReason: string | undefined): string {
    const label = (id: string) => this.codeLabel(locale, record, 'riskTypes', id) + (id === 'other' && otherReason ? quoteUserText(otherReason, QUOTE_LIMITS.reason) : '');
    return ids.map(label).join(listSeparator(locale));
  }

  /**
   * An entry of the case's policy profile's code list as its annex prints it (②住房安全保障风险); in English the
   * code list's English name after the same number. An id the profile does not list (a declaration option of
   * another province) keeps the declaration's own label (cases:riskType.*, cases:basicGuarantee.*).
   */
  private codeLabel(locale: Locale, record: CaseRecord, list: 'riskTypes' | 'basicGuarantees', id: string): string {
    const profile = findProfile(this.deps.profiles ?? [], record.procedure.profileKey);
    const entry = profile?.codeLists[list].find((e) => e.id === id);
    const textKey = list === 'riskTypes' ? 'riskType' : 'basicGuarantee';
    if (!entry) return this.t(locale, `cases:${textKey}.${id}`);
    if (locale === 'zh-CN') return entry.label;
    const n = circledNumber(entry.label);
    return `${n === undefined ? '' : `(${n}) `}${this.t(locale, `staff:codeList.${textKey}.${id}`)}`;
  }

  /**
   * The new-case notice for the village's cadres: a household's declaration, or a lead a staff member entered
   * (上报线索: newLead, 代申报: newProxy), saying who entered it.
   */
  staffNotice(locale: Locale, record: CaseRecord, words: HouseholdWords): Outbound {
    const d = record.declaration;
    const guarantees = (d?.basicGuarantees ?? []).map((g) => this.codeLabel(locale, record, 'basicGuarantees', g)).join(listSeparator(locale));
    const by = d?.declaredBy ? (this.deps.org.findStaff(d.declaredBy)?.name ?? d.declaredBy) : undefined;
    const kind = by === undefined ? 'newDeclaration' : record.procedure.source === 'cadreCheck' ? 'newLead' : 'newProxy';
    return {
      type: 'text',
      text: this.t(locale, `cases:staffNotice.${kind}`, {
        by: by ?? '',
        foundOn: formatDate(locale, record.procedure.leadFoundOn),
        caseNumber: record.caseNumber,
        head: quoteUserText(record.household.head, QUOTE_LIMITS.name),
        idNumber: record.household.idNumberMasked,
        phone: record.household.phoneMasked,
        place: this.place(record),
        size: record.household.size,
        riskTypes: this.riskTypes(locale, record, d?.riskTypes ?? [], words.otherReason),
        guarantees,
        description: quoteUserText(words.description),
        identificationBy: formatDate(locale, record.procedure.deadlines.identification),
      }),
    };
  }
}

function listSeparator(locale: Locale): string {
  return locale === 'zh-CN' ? '、' : '; ';
}

/** The number a label starts with in a circle (①–⑳), as the annexes number their items. @example circledNumber("②住房安全保障风险") === 2 */
function circledNumber(label: string): number | undefined {
  const code = label.codePointAt(0) ?? 0;
  return code >= 0x2460 && code <= 0x2473 ? code - 0x245f : undefined;
}
