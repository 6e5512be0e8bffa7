import type { CaseRefusal } from '../cases/case-service.js';
import { formatDate, formatMonth } from '../i18n/format-date.js';
import type { Locale, Texts } from '../i18n/i18n.js';
import { isIsoDate } from '../policy/dates.js';
import type { ActionType } from '../procedure/actions.js';
import type { NamedLimit, PendingDecision } from '../procedure/pending.js';
import { isEliminationStage, STAGES, type Stage } from '../procedure/stages.js';
import type { CardChoice } from './decision-cards.js';

/** Staff-facing wording (templates/<locale>/staff.json): steps, stages, buttons and refusals in plain words. */
export class StaffTexts {
  constructor(private readonly texts: Texts) {}

  t(locale: Locale, key: string, vars: Record<string, string | number> = {}): string {
    return this.texts.t(locale, `staff:${key}`, vars);
  }

  /** What a step is, e.g. 确认民主评议结果; elimination steps say so. */
  action(locale: Locale, action: ActionType, stage: Stage, decides = false): string {
    const what = this.t(locale, `action.${wordsKey(action, decides)}`);
    return isEliminationStage(stage) ? this.t(locale, 'todo.elimination', { what }) : what;
  }

  /** A limit in the forms' words: 识别时限15天, 帮扶措施时限10个工作日. */
  limit(locale: Locale, limit: NamedLimit): string {
    return this.t(locale, `limit.${limit.name}`, { span: this.t(locale, `limit.unit.${limit.unit}`, { count: limit.amount }) });
  }

  /** A pending step's deadline with the limit behind it: 12月16日（识别时限15天）. */
  due(locale: Locale, pending: Pick<PendingDecision, 'dueOn' | 'limit'>): string | undefined {
    if (!pending.dueOn) return undefined;
    const date = formatDate(locale, pending.dueOn);
    return pending.limit ? this.t(locale, 'limit.due', { date, limit: this.limit(locale, pending.limit) }) : date;
  }

  stage(locale: Locale, stage: Stage): string {
    return this.t(locale, `stage.${stage}`);
  }

  cardTitle(locale: Locale, action: ActionType, stage: Stage, decides = false): string {
    const title = this.t(locale, `card.${wordsKey(action, decides)}.title`);
    return isEliminationStage(stage) ? this.t(locale, 'card.eliminationTitle', { title }) : title;
  }

  /** What a card asks for, in a sentence. */
  cardPrompt(locale: Locale, action: ActionType, decides = false): string {
    return this.t(locale, `card.${wordsKey(action, decides)}.prompt`);
  }

  /** A button's text: the action's own (受理, 结束公示…) or the plain 同意 / 不同意. */
  button(locale: Locale, action: ActionType, choice: CardChoice): string {
    return this.own(locale, `card.${action}.${choice}`) ?? this.t(locale, `card.${choice}`);
  }

  /** The grey text a decided card shows instead of its buttons: 已同意 · 李书记 11月22日 10:05. */
  done(locale: Locale, action: ActionType, choice: CardChoice, vars: { name: string; at: string }): string {
    const label = this.button(locale, action, choice);
    return this.own(locale, `card.${action}.done.${choice}`, { ...vars, label }) ?? this.t(locale, `card.done.${choice}`, { ...vars, label });
  }

  /** A refusal in plain words, its detail (dates, roles, amounts) written out. */
  refusal(locale: Locale, refusal: Pick<CaseRefusal, 'reason' | 'detail'>): string {
    return this.t(locale, `refusal.${refusal.reason}`, this.detailVars(locale, refusal.detail ?? {}));
  }

  private detailVars(locale: Locale, detail: Record<string, unknown>): Record<string, string | number> {
    const vars: Record<string, string | number> = {};
    for (const [key, value] of Object.entries(detail)) {
      if (typeof value === 'number') vars[key] = value;
      else if (typeof value === 'string') vars[key] = this.detailText(locale, key, value);
      else if (Array.isArray(value) && value.every((v) => typeof v === 'string')) {
        vars[key] = value.map((v) => this.own(locale, `role.${v}`) ?? v).join(locale === 'en' ? ' or ' : '或');
      }
    }
    return vars;
  }

  private detailText(locale: Locale, key: string, value: string): string {
    if (isIsoDate(value)) return formatDate(locale, value);
    if (/^\d{4}-\d{2}$/.test(value)) return formatMonth(locale, value);
    if (key === 'stage' && (STAGES as readonly string[]).includes(value)) return this.stage(locale, value as Stage);
    return value;
  }

  private own(locale: Locale, key: string, vars: Record<string, string | number> = {}): string | undefined {
    return this.texts.has(locale, `staff:${key}`) ? this.t(locale, key, vars) : undefined;
  }
}

/** The key a step's words are under: a township approval that decides the case (Henan) is 乡镇确定, not 乡镇审核. */
function wordsKey(action: ActionType, decides: boolean): string {
  return action === 'townshipApprove' && decides ? 'townshipDecides' : action;
}
