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

/** Lines a digest lists of the person's own items, and of what climbed to them; the rest are counted. */
export const MAX_OWN_LINES = 15;
export const MAX_ESCALATED_LINES = 8;

/**
 * A digest as a staff member reads it: one text (grouped by due date, overdue first; then what climbed to them)
 * and one card with 去办理 / 已知晓. Names and places as cards show them; no ID or phone number. A long digest
 * lists the most urgent items and counts the rest (its buttons still cover them all).
 */
export class DigestView {
  /** Texts that depend on few values (a day count, a step), and raw templates of the per-line texts: a county's digests render in well under a second. */
  private readonly memo = new Map<string, string>();

  constructor(private readonly deps: { texts: Texts; staff: StaffTexts; org: Org }) {}

  render(locale: Locale, digest: Digest, nonce: string = randomBytes(3).toString('hex')): Outbound[] {
    const member = this.deps.org.findStaff(digest.userId);
    const own = digest.entries.filter((e) => !e.escalated);
    const escalated = digest.entries.filter((e) => e.escalated);
    const lines = [this.t(locale, 'digest.head', { name: member?.name ?? digest.userId, date: formatDate(locale, digest.date), count: digest.entries.length })];
    let n = 0;
    const list = (entries: DigestEntry[], line: (entry: DigestEntry) => string) => {
      let group = '';
      for (const entry of entries) {
        const header = this.groupOf(locale, entry);
        if (header !== group) lines.push((group = header));
        n++;
        lines.push(line(entry));
      }
    };
    const lineTemplate = this.template(locale, 'digest.line');
    list(own.slice(0, MAX_OWN_LINES), (e) => fill(lineTemplate, { n, subject: this.subject(locale, e.item), what: this.what(locale, e, digest.userId) }));
    if (own.length > MAX_OWN_LINES) lines.push(this.t(locale, 'digest.moreOwn', { count: own.length - MAX_OWN_LINES }));
    if (escalated.length > 0) {
      lines.push(this.t(locale, 'digest.escalatedHead'));
      const escalatedTemplate = this.template(locale, 'digest.escalatedLine');
      list(escalated.slice(0, MAX_ESCALATED_LINES), (e) => fill(escalatedTemplate, { n, subject: this.subject(locale, e.item), what: this.what(locale, e, undefined), owners: this.owners(locale, e.item) }));
      const rest = escalated.slice(MAX_ESCALATED_LINES);
      if (rest.length > 0) lines.push(this.t(locale, 'digest.moreEscalated', { count: rest.length, areas: this.byArea(locale, rest) }));
    }
    lines.push(this.t(locale, 'digest.tail'));
    return [{ type: 'text', text: lines.join('\n') }, { type: 'card', card: this.card(locale, digest, nonce) }];
  }

  /** The places most of `entries` come from, with their counts: 青山镇桃源村 3项、… (the three largest). */
  private byArea(locale: Locale, entries: DigestEntry[]): string {
    const counts = new Map<string, number>();
    for (const { item } of entries) counts.set(item.area, (counts.get(item.area) ?? 0) + 1);
    return [...counts]
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, 3)
      .map(([area, count]) => this.t(locale, 'digest.areaCount', { place: this.deps.org.placeName(area), count }))
      .join(locale === 'en' ? ', ' : '、');
  }

  private owners(locale: Locale, item: DeadlineItem): string {
    return this.remember(`owners|${locale}|${item.owners.map((o) => o.userId).join(',')}`, () =>
      item.owners.map((o) => this.deps.org.findStaff(o.userId)?.name ?? o.userId).join(locale === 'en' ? ', ' : '、'),
    );
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
    if (timing.kind === 'before' && timing.days === 0) return this.remember(`today|${locale}`, () => this.t(locale, 'digest.todayGroup'));
    return this.remember(`group|${locale}|${timing.kind}|${timing.unit}|${timing.days}|${item.dueOn}`, () =>
      this.t(locale, timing.kind === 'overdue' ? 'digest.overdueGroup' : 'digest.soonGroup', { date: formatDate(locale, item.dueOn), days: this.days(locale, timing) }),
    );
  }

  private days(locale: Locale, timing: Timing): string {
    return this.t(locale, `days.${timing.unit}`, { count: timing.days });
  }

  /** The case as 我的待办 names it (number, head, place), or a check's or campaign's label. */
  private subject(locale: Locale, item: DeadlineItem): string {
    if (!item.caseNumber) return item.label ?? item.key;
    return fill(this.template(locale, 'digest.caseSubject'), { caseNumber: item.caseNumber, head: item.head ?? '', place: item.place ?? '' });
  }

  /** What is to be done; with the next step's name, as its owner (or, escalated, its first owner) would take it. */
  private what(locale: Locale, { item }: DigestEntry, userId: string | undefined): string {
    const owner = item.owners.find((o) => userId !== undefined && o.userId.toLowerCase() === userId.toLowerCase()) ?? item.owners[0];
    return this.remember(`what|${locale}|${item.kind}|${owner?.action ?? ''}|${item.stage ?? ''}`, () => {
      const step = owner?.action && item.stage ? this.deps.staff.action(locale, owner.action, item.stage) : '';
      return this.t(locale, `kind.${item.kind}`, { step });
    });
  }

  /** A per-line text with its {{placeholders}} as they are (i18next leaves unknown ones), filled in by `fill`. */
  private template(locale: Locale, key: string): string {
    return this.remember(`template|${locale}|${key}`, () => this.deps.texts.t(locale, `reminders:${key}`));
  }

  private remember(key: string, make: () => string): string {
    let text = this.memo.get(key);
    if (text === undefined) {
      text = make();
      this.memo.set(key, text);
    }
    return text;
  }

  /**
   * A text: a plain one (no plural forms in this locale, as all of zh-CN's) filled in from its remembered
   * template, which is much cheaper than i18next over a county's digests; one with plural forms through i18next.
   */
  private t(locale: Locale, key: string, vars: Record<string, string | number> = {}): string {
    const plain = this.remember(`plain|${locale}|${key}`, () => (this.deps.texts.has(locale, `reminders:${key}`) ? this.deps.texts.t(locale, `reminders:${key}`) : ''));
    return plain !== '' ? fill(plain, vars) : this.deps.texts.t(locale, `reminders:${key}`, vars);
  }
}

/** `{{name}}` placeholders of a template filled in from `vars` (texts as they are: no escaping, as i18n.ts sets i18next). */
function fill(template: string, vars: Record<string, string | number>): string {
  return template.replace(/\{\{(\w+)\}\}/g, (whole, name: string) => (Object.hasOwn(vars, name) ? String(vars[name]) : whole));
}
