import type { Outbound } from '../channel/messages.js';
import { formatDate } from '../i18n/format-date.js';
import type { Locale, Texts } from '../i18n/i18n.js';
import type { Org } from '../org/org.js';
import { shanghaiDate } from '../policy/dates.js';
import { QUOTE_LIMITS, quoteUserText } from '../privacy/quote-user-text.js';
import { isEliminationStage, type Stage } from '../procedure/stages.js';
import type { TransitionEvent } from '../procedure/transition-event.js';
import type { CaseRecord } from './case-record.js';

/** The outcomes a household is told of, each once, when its case reaches them. */
export type HouseholdOutcome = 'identified' | 'planned' | 'rejected' | 'eliminated';

/** Stages before the identification decision: the 15-day clock runs. */
const BEFORE_DECISION: readonly Stage[] = ['lead', 'homeVerification', 'dataCrossCheck', 'villageAppraisal', 'publicNotice', 'townshipReview', 'countyApproval'];

/**
 * The outcome a step brings the household, if any: identified for monitoring (纳入监测), assistance planned,
 * refused, or its risk eliminated.
 * @example householdOutcome({ action: "countyApprove", from: "countyApproval", to: "identified", … }) === "identified"
 */
export function householdOutcome(event: Pick<TransitionEvent, 'action' | 'from' | 'to'>): HouseholdOutcome | undefined {
  if (event.to === 'rejected' || event.to === 'eliminated') return event.to;
  if (event.to === 'identified' && event.from !== 'identified') return 'identified';
  if (event.action === 'recordAssistancePlan') return 'planned';
  return undefined;
}

/**
 * Reasons a staff member typed, each in 「…」 on one line with numbers masked (quoteUserText), without the full
 * stop it may end with (the frame around it has its own).
 * @example quotedReasons("zh-CN", ["收入高于监测范围。", "有车"]) === "「收入高于监测范围」；「有车」"
 */
export function quotedReasons(locale: Locale, reasons: readonly string[]): string {
  const bare = (r: string) => r.trim().replace(/[。.！!；;，,\s]+$/u, '') || r;
  return reasons.map((r) => quoteUserText(bare(r), QUOTE_LIMITS.text)).join(locale === 'en' ? '; ' : '；');
}

/**
 * What a household reads about its own case, in plain words: where it stands (进度) and each outcome. What
 * staff typed (a refusal's reasons) reaches it only quoted in a fixed frame, flattened and with numbers
 * masked (quoteUserText), so it never reads as the system's own words.
 */
export class HouseholdMessages {
  constructor(private readonly deps: { texts: Texts; org: Org }) {}

  private t(locale: Locale, key: string, vars: Record<string, string | number> = {}): string {
    return this.deps.texts.t(locale, key, vars);
  }

  /** The short stage clause (`cases:stage.*`), as a duplicate declaration and 进度 show it. */
  stageText(locale: Locale, stage: string): string {
    const key = `cases:stage.${stage}`;
    return this.deps.texts.has(locale, key) ? this.t(locale, key) : this.t(locale, 'cases:stage.inProgress');
  }

  /** 进度: each case the person declared, what stage it is at and what that means for them. */
  progress(locale: Locale, records: CaseRecord[], now: Date): Outbound {
    if (records.length === 0) return { type: 'text', text: this.t(locale, 'cases:progress.none') };
    const lines = records.map((r) =>
      this.t(locale, 'cases:progress.line', { caseNumber: r.caseNumber, declaredOn: formatDate(locale, r.procedure.leadFoundOn), status: this.status(locale, r, now) }),
    );
    return { type: 'text', text: [this.t(locale, 'cases:progress.head'), ...lines].join('\n') };
  }

  private status(locale: Locale, record: CaseRecord, now: Date): string {
    const p = record.procedure;
    const stage = this.stageText(locale, p.stage);
    if (BEFORE_DECISION.includes(p.stage)) {
      const by = p.deadlines.identification;
      return this.t(locale, by < shanghaiDate(now) ? 'cases:progress.identificationLate' : 'cases:progress.identification', { stage, identificationBy: formatDate(locale, by) });
    }
    if (isEliminationStage(p.stage)) return this.t(locale, 'cases:progress.elimination', { stage });
    switch (p.stage) {
      case 'identified':
        return this.t(locale, 'cases:progress.identified', { identifiedOn: p.identifiedOn ? formatDate(locale, p.identifiedOn) : '' });
      case 'monitoring':
        return this.t(locale, 'cases:progress.monitoring', { measures: this.measures(locale, record) });
      case 'rejected':
        return this.t(locale, 'cases:progress.rejected', { ...this.refusalVars(locale, record), on: p.rejection ? formatDate(locale, p.rejection.on) : '' });
      case 'eliminated':
        return this.t(locale, 'cases:progress.eliminated', { eliminatedOn: p.eliminatedOn ? formatDate(locale, p.eliminatedOn) : '' });
      default:
        return this.t(locale, 'cases:progress.other', { stage });
    }
  }

  /** The notice of an outcome, in the household's words. */
  outcome(locale: Locale, record: CaseRecord, outcome: HouseholdOutcome): Outbound {
    const p = record.procedure;
    const caseNumber = record.caseNumber;
    switch (outcome) {
      case 'identified':
        return this.text(locale, 'cases:household.identified', { caseNumber, identifiedOn: p.identifiedOn ? formatDate(locale, p.identifiedOn) : '' });
      case 'planned':
        return this.text(locale, 'cases:household.planned', { caseNumber, measures: this.measures(locale, record) });
      case 'rejected':
        return this.text(locale, 'cases:household.rejected', { caseNumber, ...this.refusalVars(locale, record) });
      case 'eliminated':
        return this.text(locale, 'cases:household.eliminated', { caseNumber, eliminatedOn: p.eliminatedOn ? formatDate(locale, p.eliminatedOn) : '' });
    }
  }

  /**
   * The staff member's reasons as they typed them, each quoted (「…」, on one line, numbers masked), in the
   * fixed frame that says whose words they are; and the township to ask for a re-check.
   */
  private refusalVars(locale: Locale, record: CaseRecord): { reason: string; township: string } {
    const reasons = quotedReasons(locale, record.procedure.rejection?.reasons ?? []);
    return {
      reason: reasons ? this.t(locale, 'cases:household.reason', { reasons }) : '',
      township: this.deps.org.area(record.area.township)?.name ?? '',
    };
  }

  /** The planned measures' categories in plain words, each once, no amounts or contents. */
  measures(locale: Locale, record: CaseRecord): string {
    const categories = (record.procedure.assistancePlan?.measures ?? []).map((m) => (typeof m === 'string' ? m : m.category));
    return [...new Set(categories)].map((c) => this.t(locale, `cases:household.measure.${c}`)).join(locale === 'en' ? ', ' : '、');
  }

  private text(locale: Locale, key: string, vars: Record<string, string | number>): Outbound {
    return { type: 'text', text: this.t(locale, key, vars) };
  }
}
