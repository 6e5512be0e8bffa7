import type { Outbound } from '../channel/messages.js';
import { formatDate } from '../i18n/format-date.js';
import type { Locale, Texts } from '../i18n/i18n.js';
import type { Org } from '../org/org.js';
import { findProfile } from '../policy/profile-select.js';
import type { PolicyProfile } from '../policy/profile.js';
import { QUOTE_LIMITS, quoteUserText } from '../privacy/quote-user-text.js';
import type { CaseRecord } from './case-record.js';

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
  /** `profiles`: the loaded policy profiles, whose code lists name a case's risk types and 三保障 items. */
  constructor(private readonly deps: { texts: Texts; org: Org; profiles?: readonly PolicyProfile[] }) {}

  private t(locale: Locale, key: string, vars: Record<string, string | number> = {}): string {
    return this.deps.texts.t(locale, key, vars);
  }

  private place(record: CaseRecord): string {
    return this.deps.org.placeName(record.area.group ?? record.area.village);
  }

  stageText(locale: Locale, stage: string): string {
    const key = `cases:stage.${stage}`;
    return this.deps.texts.has(locale, key) ? this.t(locale, key) : this.t(locale, 'cases:stage.inProgress');
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

  progress(locale: Locale, records: CaseRecord[]): Outbound {
    if (records.length === 0) return { type: 'text', text: this.t(locale, 'cases:progress.none') };
    const lines = records.map((r) =>
      this.t(locale, 'cases:progress.line', {
        caseNumber: r.caseNumber,
        declaredOn: formatDate(locale, r.procedure.leadFoundOn),
        stage: this.stageText(locale, r.procedure.stage),
        identificationBy: formatDate(locale, r.procedure.deadlines.identification),
      }),
    );
    return { type: 'text', text: [this.t(locale, 'cases:progress.head'), ...lines].join('\n') };
  }

  /** The household is told why it was refused and how to ask the township for a re-check. */
  rejected(locale: Locale, record: CaseRecord): Outbound {
    const reasons = record.procedure.rejection?.reasons ?? [];
    return {
      type: 'text',
      text: this.t(locale, 'cases:household.rejected', {
        caseNumber: record.caseNumber,
        reasons: reasons.join(locale === 'en' ? '; ' : '；'),
        township: this.deps.org.area(record.area.township)?.name ?? '',
      }),
    };
  }

  /** The household is told its risk is marked as eliminated (the record stays). */
  eliminated(locale: Locale, record: CaseRecord): Outbound {
    const on = record.procedure.eliminatedOn;
    return { type: 'text', text: this.t(locale, 'cases:household.eliminated', { caseNumber: record.caseNumber, eliminatedOn: on ? formatDate(locale, on) : '' }) };
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

  /** The new-declaration notice for the village's monitoring contacts. */
  staffNotice(locale: Locale, record: CaseRecord, words: HouseholdWords): Outbound {
    const d = record.declaration;
    const guarantees = (d?.basicGuarantees ?? []).map((g) => this.codeLabel(locale, record, 'basicGuarantees', g)).join(listSeparator(locale));
    return {
      type: 'text',
      text: this.t(locale, 'cases:staffNotice.newDeclaration', {
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
