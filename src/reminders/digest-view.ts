import { randomBytes } from 'node:crypto';
import type { Outbound } from '../channel/messages.js';
import { cardKind, taskIdOf } from '../conversation/decision-cards.js';
import type { StaffTexts } from '../conversation/staff-texts.js';
import { formatDate } from '../i18n/format-date.js';
import type { Locale, Texts } from '../i18n/i18n.js';
import type { Org } from '../org/org.js';
import type { IsoDate } from '../policy/dates.js';
import type { ButtonCard } from '../wecom/api.js';
import type { DeadlineItem } from './deadline-source.js';
import type { Digest, DigestEntry } from './plan.js';
import type { Timing } from './schedule.js';

/** The keys of a reminder card's buttons: 已知晓, 去办理 (or, for one form step, `fill`, which starts its form). */
export const REMINDER_BUTTONS = ['ack', 'act'] as const;

const TASK_ID = /^rm_(\d{8})_[0-9a-z]{1,16}$/;
/** The nonce of a one-item card's decision-card task id carries the digest's date: `r20261122k3x9`. */
const DATED_NONCE = /_r(\d{8})[0-9a-z]{1,7}$/;

/** The digest day a reminder card's task_id was made for (`rm_20261122_…`, or a one-item card's `fp_…_r20261122…`). */
export function digestDateOf(taskId: string): IsoDate | undefined {
  const m = TASK_ID.exec(taskId) ?? (taskId.startsWith('fp_') ? DATED_NONCE.exec(taskId) : null);
  return m ? `${m[1]!.slice(0, 4)}-${m[1]!.slice(4, 6)}-${m[1]!.slice(6, 8)}` : undefined;
}

/** The outbox id of a person's digest of a day: one a day per person, however often or wherever it is planned. */
export function digestId(date: IsoDate, userId: string): string {
  return `reminders:digest:${date}:${userId.toLowerCase()}`;
}

/**
 * A digest as a staff member reads it: one text (grouped by due date, overdue first; then what climbed to them)
 * and one card with 去办理 / 已知晓. Names and places as cards show them (the head quoted); no ID or phone number.
 */
export class DigestView {
  constructor(private readonly deps: { texts: Texts; staff: StaffTexts; org: Org }) {}

  render(locale: Locale, digest: Digest, nonce: string = randomBytes(3).toString('hex')): Outbound[] {
    const member = this.deps.org.findStaff(digest.userId);
    const own = digest.entries.filter((e) => !e.escalated);
    const escalated = digest.entries.filter((e) => e.escalated);
    const lines = [this.t(locale, 'digest.head', { name: member?.name ?? digest.userId, date: formatDate(locale, digest.date), count: digest.entries.length })];
    let n = 0;
    let group = '';
    for (const entry of own) {
      const header = this.groupOf(locale, entry);
      if (header !== group) lines.push((group = header));
      lines.push(this.t(locale, 'digest.line', { n: ++n, subject: this.subject(locale, entry.item), what: this.what(locale, entry, digest.userId) }));
    }
    if (escalated.length > 0) {
      lines.push(this.t(locale, 'digest.escalatedHead'));
      group = '';
      for (const entry of escalated) {
        const header = this.groupOf(locale, entry);
        if (header !== group) lines.push((group = header));
        const owners = entry.item.owners.map((o) => this.deps.org.findStaff(o.userId)?.name ?? o.userId).join(locale === 'en' ? ', ' : '、');
        lines.push(this.t(locale, 'digest.escalatedLine', { n: ++n, subject: this.subject(locale, entry.item), what: this.what(locale, entry, undefined), owners }));
      }
    }
    lines.push(this.t(locale, 'digest.tail'));
    return [{ type: 'text', text: lines.join('\n') }, { type: 'card', card: this.card(locale, digest, nonce) }];
  }

  private card(locale: Locale, digest: Digest, nonce: string): ButtonCard {
    const count = (f: (e: DigestEntry) => boolean) => digest.entries.filter(f).length;
    const compact = digest.date.replace(/-/g, '');
    // One form step and nothing else: 去办理 starts its form (the conversation service knows a decision card's `fill`).
    const only = digest.entries.length === 1 ? digest.entries[0]! : undefined;
    const owner = only && !only.escalated ? only.item.owners.find((o) => o.userId.toLowerCase() === digest.userId.toLowerCase()) : undefined;
    const form = only?.item.caseId && only.item.caseVersion !== undefined && owner?.action && cardKind(owner.action) === 'form' ? { caseId: only.item.caseId, version: only.item.caseVersion, action: owner.action } : undefined;
    return {
      card_type: 'button_interaction',
      source: { desc: this.t(locale, 'card.source') },
      main_title: { title: this.t(locale, 'card.title'), desc: this.t(locale, 'card.desc', { date: formatDate(locale, digest.date), count: digest.entries.length }) },
      sub_title_text: this.t(locale, 'card.summary', {
        overdue: count((e) => !e.escalated && e.timing.kind === 'overdue'),
        today: count((e) => !e.escalated && e.timing.kind === 'before' && e.timing.days === 0),
        soon: count((e) => !e.escalated && e.timing.kind === 'before' && e.timing.days > 0),
        escalated: count((e) => Boolean(e.escalated)),
      }),
      task_id: form ? taskIdOf(form, `r${compact}${nonce.slice(0, 4)}`) : `rm_${compact}_${nonce}`,
      button_list: [
        { text: this.t(locale, 'card.act'), style: 1, key: form ? 'fill' : 'act' },
        { text: this.t(locale, 'card.ack'), style: 2, key: 'ack' },
      ],
    };
  }

  private groupOf(locale: Locale, { item, timing }: DigestEntry): string {
    if (timing.kind === 'before' && timing.days === 0) return this.t(locale, 'digest.todayGroup');
    const days = this.days(locale, timing);
    return this.t(locale, timing.kind === 'overdue' ? 'digest.overdueGroup' : 'digest.soonGroup', { date: formatDate(locale, item.dueOn), days });
  }

  private days(locale: Locale, timing: Timing): string {
    return this.t(locale, `days.${timing.unit}`, { count: timing.days });
  }

  /** The case as 我的待办 names it (number, head, place), or a check's or campaign's label. */
  private subject(locale: Locale, item: DeadlineItem): string {
    if (!item.caseNumber) return item.label ?? item.key;
    return this.t(locale, 'digest.caseSubject', { caseNumber: item.caseNumber, head: item.head ?? '', place: item.place ?? '' });
  }

  /** What is to be done; with the next step's name, as its owner (or, escalated, its first owner) would take it. */
  private what(locale: Locale, { item }: DigestEntry, userId: string | undefined): string {
    const owner = item.owners.find((o) => userId !== undefined && o.userId.toLowerCase() === userId.toLowerCase()) ?? item.owners[0];
    const step = owner?.action && item.stage ? this.deps.staff.action(locale, owner.action, item.stage) : '';
    return this.t(locale, `kind.${item.kind}`, { step });
  }

  private t(locale: Locale, key: string, vars: Record<string, string | number> = {}): string {
    return this.deps.texts.t(locale, `reminders:${key}`, vars);
  }
}
