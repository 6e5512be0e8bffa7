import type { Logger } from 'pino';
import type { CaseRecord } from '../cases/case-record.js';
import type { CaseRepository } from '../cases/case-repository.js';
import type { CaseService } from '../cases/case-service.js';
import { addressKey, type Address } from '../channel/messages.js';
import type { Answers } from '../engine/events.js';
import { formatDate } from '../i18n/format-date.js';
import { DEFAULT_LOCALE, type Locale, type Texts } from '../i18n/i18n.js';
import type { Org } from '../org/org.js';
import { messagesTo, type Outbox } from '../outbox/outbox-item.js';
import { shanghaiDate } from '../policy/dates.js';
import { num, str } from './form-defs.js';

export type KfAddress = Extract<Address, { channel: 'kf' }>;

/** The flow that asks the household, in its own 微信客服 conversation. */
export const HOUSEHOLD_AGREEMENT_FLOW = 'household-agreement';
const SLOT_PREFIX = 'agreement:';

/** A conversation the system started (the household did not): an answer hours later is no "return" to it. */
export function isSystemQuestion(slotId: string): boolean {
  return slotId.startsWith(SLOT_PREFIX);
}

/**
 * Whether the bot may write to a household on 微信客服 now: its reply window (48 hours after its last message, a
 * few messages) is open and no human servicer holds the session. A port, so the forms need not know the channel.
 */
export interface ReplyWindow {
  canAsk(to: KfAddress): Promise<boolean>;
}

/** The reply window as src/channel/kf-session.ts keeps it. */
export function kfReplyWindow(sessions: {
  window(openKfId: string, externalUserId: string): Promise<{ open: boolean }>;
  isHuman(openKfId: string, externalUserId: string): Promise<boolean>;
}): ReplyWindow {
  return {
    async canAsk(to) {
      if (await sessions.isHuman(to.openKfId, to.externalUserId)) return false;
      return (await sessions.window(to.openKfId, to.externalUserId)).open;
    },
  };
}

/**
 * A question the system puts to a household in its own conversation: the flow, the answers it starts with, the
 * text that says what it is about (`intro`, in the household's language), and the outbox id of the message.
 */
export interface HouseholdQuestion {
  to: KfAddress;
  caseId: string;
  slotId: string;
  flowId: string;
  answers: Answers;
  intro: { key: string; vars: Record<string, string> };
  outboxId: string;
}

/**
 * 农户签字确认结果 asked of the household itself: when an elimination reaches the household's agreement and the
 * household (the case's declarant) can be written to on 微信客服, it is asked there, yes or no, and its answer is
 * the step. Otherwise, and meanwhile, the cadre records the paper signature from the card.
 */
export class HouseholdAgreement {
  constructor(private readonly deps: { repo: CaseRepository; cases: CaseService; org: Org; texts: Texts; outbox: Outbox; window: ReplyWindow; logger: Logger }) {}

  /** The question to put now for this case, or undefined (not waiting for the household, not on 微信客服, window closed). */
  async questionFor(record: CaseRecord): Promise<HouseholdQuestion | undefined> {
    if (record.procedure.stage !== 'householdAgreement') return undefined;
    const to = record.declaration?.declarant;
    if (to?.channel !== 'kf' || !this.recorder(record)) return undefined;
    if (!(await this.deps.window.canAsk(to))) return undefined;
    return {
      to,
      caseId: record._id,
      slotId: `${SLOT_PREFIX}${record._id}`,
      flowId: HOUSEHOLD_AGREEMENT_FLOW,
      // The village and head too: 人工 then reaches the village's cadres, naming the household (as in a declaration).
      answers: { caseId: record._id, caseVersion: record.procedure.version, caseNumber: record.caseNumber, village: record.procedure.villageCode, householdHead: record.household.head },
      intro: { key: 'householdAgreement:asked', vars: { caseNumber: record.caseNumber } },
      outboxId: `case:${record._id}:v${record.procedure.version}:agreementAsked`,
    };
  }

  /**
   * The household's answer, as the step on the version it was asked about; the words to answer it with.
   *
   * Who takes the step: the case's monitoring contact, not a system actor. The procedure lets a cadre or the
   * township record the household's agreement (moves.ts), checked for role and area like every step; the
   * monitoring contact is the one who would have collected the signature on paper and answers for the household.
   * The step says `via: 'kf'`, so the trail shows the household answered itself. A system actor would need a way
   * round the role and area check, open to any caller; and without a contact still serving the village, nobody
   * can stand behind the answer, so the household is not asked and the cadre records the paper form instead.
   */
  async answered(answers: Answers, from: KfAddress, locale: Locale, now: Date, requestId: string): Promise<string> {
    const { repo, cases, texts, logger } = this.deps;
    const t = (key: string, vars: Record<string, string> = {}) => texts.t(locale, `householdAgreement:${key}`, vars);
    const caseId = str(answers.caseId);
    const record = caseId ? await repo.get(caseId) : null;
    const actor = record && record.declaration?.declarantKey === addressKey(from) ? this.recorder(record) : undefined;
    if (!record || !actor) {
      logger.warn({ caseNumber: record?.caseNumber ?? null }, 'household agreement answered, but nobody can record it');
      return t('notRecorded');
    }
    const agrees = answers.agrees === true;
    const action = { type: 'recordHouseholdAgreement', agrees, via: 'kf', caseVersion: num(answers.caseVersion) ?? 0 } as const;
    const decision = await cases.decide({ caseId: record._id, action, userId: actor, now, requestId });
    if (!decision.ok) {
      if (decision.reason === 'case.movedOn') return t('alreadyRecorded');
      logger.warn({ caseNumber: record.caseNumber, reason: decision.reason }, 'household agreement not recorded');
      return t('notRecorded');
    }
    await this.tellContacts(decision.record, agrees);
    return agrees ? t('agreed', { date: formatDate(locale, shanghaiDate(now)) }) : t('disagreed');
  }

  /** The monitoring contacts hear the answer at once: no visit for a signature, or a household to call. */
  private async tellContacts(record: CaseRecord, agrees: boolean): Promise<void> {
    const text = this.deps.texts.t(DEFAULT_LOCALE, `staff:householdAnswered.${agrees ? 'agreed' : 'disagreed'}`, { caseNumber: record.caseNumber, head: record.household.head });
    for (const userId of record.procedure.monitoringContacts) {
      const id = `case:${record._id}:v${record.procedure.version}:householdAnswered:${userId}`;
      await this.deps.outbox.enqueue(messagesTo(id, 'notice', { channel: 'app', userId }, [{ type: 'text', text }], { caseId: record._id }));
    }
  }

  /** The first monitoring contact still serving the household's village as a cadre. */
  private recorder(record: CaseRecord): string | undefined {
    const { org } = this.deps;
    return record.procedure.monitoringContacts.find((id) => {
      const member = org.findStaff(id);
      return member !== undefined && org.serves(member, 'cadre', record.procedure.villageCode);
    });
  }
}
