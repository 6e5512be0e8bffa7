import type { Logger } from 'pino';
import type { CaseRecord } from '../cases/case-record.js';
import type { CaseRepository } from '../cases/case-repository.js';
import type { CaseService } from '../cases/case-service.js';
import type { Outbound } from '../channel/messages.js';
import { formatDate } from '../i18n/format-date.js';
import type { Locale } from '../i18n/i18n.js';
import type { Org, StaffMember } from '../org/org.js';
import { shanghaiDate, type IsoDate } from '../policy/dates.js';
import { MOVES } from '../procedure/moves.js';
import type { ActionType } from '../procedure/actions.js';
import { pendingFor, type PendingDecision } from '../procedure/pending.js';
import type { Stage } from '../procedure/stages.js';
import { decisionCard, standInWhy } from './decision-card-view.js';
import { CARD_DECISIONS, cardKind } from './decision-cards.js';
import type { StaffTexts } from './staff-texts.js';

/** Stages some step waits for. Monitored and closed cases wait for no one, so 我的待办 never reads them. */
const AWAITING_STAGES: readonly Stage[] = [...new Set(MOVES.filter((m) => m.awaited).map((m) => m.from))];
/** WeCom silently drops app messages beyond 30 a minute to one member; a list sends at most this many cards. */
export const MAX_CARDS_PER_LIST = 5;
/** Lines per page of 我的待办: what a phone screen shows without much scrolling. */
export const TODO_PAGE_SIZE = 10;

interface Item {
  record: CaseRecord;
  pending: PendingDecision;
}

/** A household message that reached no one (微信客服 closed, no one to pass it on), reporting `caseId`'s decision. */
export interface HeldHouseholdMessage {
  caseId: string;
  createdAt: string;
}

/** Held household messages stay in the sender's 我的待办 this long. */
const HELD_SHOWN_MS = 30 * 86_400_000;

/** One item of a list as shown, so "3" or "第3项" typed next refers to it. */
export interface ListedItem {
  caseId: string;
  action: ActionType;
}

/** A page of 我的待办: what to send, and every item of the whole list in its numbering. */
export interface TodoPage {
  out: Outbound[];
  listed: ListedItem[];
  page: number;
}

/** What opening one listed item comes to: a form to start, or messages (its card, or why it cannot be done now). */
export type OpenedItem = { kind: 'form'; caseId: string; action: ActionType } | { kind: 'say'; out: Outbound[] };

/**
 * 我的待办: every decision waiting for a staff member in the villages they serve, by due date, a page at a
 * time, with cards for the yes/no ones on the page. A number typed next opens that item.
 */
export class StaffTodo {
  constructor(
    private readonly deps: {
      repo: CaseRepository;
      cases: CaseService;
      org: Org;
      staff: StaffTexts;
      logger: Logger;
      /** Household messages of this sender's decisions that are held (the outbox's records). */
      heldFor?: (userId: string) => Promise<HeldHouseholdMessage[]>;
    },
  ) {}

  async list(member: StaffMember, locale: Locale, now: Date, page = 0, inForm = false): Promise<TodoPage> {
    const { staff } = this.deps;
    const today = shanghaiDate(now);
    const items = await this.pendingOf(member);
    const listed = items.map(({ record, pending }) => ({ caseId: record._id, action: pending.action }));
    const held = await this.heldNote(member, locale, now);
    if (items.length === 0) return { out: [{ type: 'text', text: [staff.t(locale, 'todo.none', { name: member.name }), ...held].join('\n') }], listed, page: 0 };

    const pages = Math.ceil(items.length / TODO_PAGE_SIZE);
    const at = Math.min(Math.max(page, 0), pages - 1);
    const first = at * TODO_PAGE_SIZE;
    const onPage = items.slice(first, first + TODO_PAGE_SIZE);
    const lines = onPage.map((item, i) => this.line(locale, item, first + i + 1, today));
    const cardable = onPage.filter((item) => this.cardable(item, today));
    const shown = cardable.slice(0, MAX_CARDS_PER_LIST);
    // Items no card can decide (a form is needed) and not merely waiting for a date: said only when there are some.
    const offline = onPage.flatMap((item, i) => (this.cardable(item, today) || waitsForDate(item, today) ? [] : [first + i + 1]));
    const { name: contactName, phone: contactPhone } = this.deps.org.contact;
    const notes = [
      ...(shown.length > 0 ? [staff.t(locale, 'todo.cards', { count: shown.length })] : []),
      ...(cardable.length > shown.length ? [staff.t(locale, 'todo.moreCards', { count: cardable.length - shown.length })] : []),
      ...(offline.length > 0 ? [staff.t(locale, 'todo.offline', { count: offline.length, items: listOf(locale, offline), contactName, contactPhone })] : []),
      ...(pages > 1 ? [staff.t(locale, at + 1 < pages ? 'todo.page' : 'todo.lastPage', { from: first + 1, to: first + onPage.length, count: items.length })] : []),
      staff.t(locale, inForm ? 'todo.pickInForm' : 'todo.pick', { example: first + 1 }),
    ];
    const head = staff.t(locale, 'todo.head', { name: member.name, count: items.length });
    return { out: [{ type: 'text', text: [head, ...lines, ...notes, ...held].join('\n') }, ...shown.map((item) => this.card(locale, item))], listed, page: at };
  }

  /** The cards of the member's steps on these cases that a card can take today (a reminder's 去办理), at most a list's worth. */
  async cardsFor(member: StaffMember, locale: Locale, now: Date, caseIds: string[]): Promise<Outbound[]> {
    const today = shanghaiDate(now);
    const wanted = new Set(caseIds);
    const items = (await this.pendingOf(member)).filter((item) => wanted.has(item.record._id) && this.cardable(item, today));
    return items.slice(0, MAX_CARDS_PER_LIST).map((item) => this.card(locale, item));
  }

  /** The results of the member's decisions that reached no household, to tell in person (shown for a month). */
  private async heldNote(member: StaffMember, locale: Locale, now: Date): Promise<string[]> {
    const { staff, org, repo } = this.deps;
    const held = ((await this.deps.heldFor?.(member.userId)) ?? []).filter((h) => Date.parse(h.createdAt) + HELD_SHOWN_MS > now.getTime());
    const lines: string[] = [];
    for (const h of held) {
      const record = await repo.get(h.caseId);
      if (!record) continue;
      const village = org.area(record.area.village)?.name ?? '';
      lines.push(staff.t(locale, 'todo.heldLine', { caseNumber: record.caseNumber, head: record.household.head, village, date: formatDate(locale, shanghaiDate(new Date(h.createdAt))) }));
    }
    return lines.length > 0 ? [staff.t(locale, 'todo.held', { items: lines.join('\n') })] : [];
  }

  /** Item `n` (1-based) of a list shown before: its form to start, or its card, or why it cannot be done now. */
  async open(member: StaffMember, locale: Locale, now: Date, listed: ListedItem | undefined, n: number): Promise<OpenedItem> {
    const { staff, repo } = this.deps;
    const say = (text: string): OpenedItem => ({ kind: 'say', out: [{ type: 'text', text }] });
    if (!listed) return say(staff.t(locale, 'todo.noSuchItem', { n }));
    const today = shanghaiDate(now);
    const record = await repo.get(listed.caseId);
    const pending = record ? this.pendingIn(record, member).find((p) => p.action === listed.action) : undefined;
    if (!record || !pending) return say(staff.t(locale, 'todo.itemGone', { n, caseNumber: record?.caseNumber ?? '' }));
    const item = { record, pending };
    if (cardKind(pending.action) === 'form' && this.cardable(item, today)) return { kind: 'form', caseId: record._id, action: pending.action };
    if (this.cardable(item, today)) return { kind: 'say', out: [this.card(locale, item)] };
    if (waitsForDate(item, today)) return say(staff.t(locale, 'noticeUntil', { date: formatDate(locale, record.procedure.notice?.endsOn ?? today) }));
    const { name: contactName, phone: contactPhone } = this.deps.org.contact;
    return say(staff.t(locale, 'todo.offline', { count: 1, items: String(n), contactName, contactPhone }));
  }

  private card(locale: Locale, item: Item): Outbound {
    return {
      type: 'card',
      card: decisionCard({ ...item, org: this.deps.org, staff: this.deps.staff, locale }),
      about: { caseId: item.record._id, version: item.record.procedure.version, action: item.pending.action },
    };
  }

  private async pendingOf(member: StaffMember): Promise<Item[]> {
    const records = await this.deps.repo.inVillages(villagesServed(this.deps.org, member), AWAITING_STAGES);
    const items = records.flatMap((record) => this.pendingIn(record, member).map((pending) => ({ record, pending })));
    return items.sort((a, b) => byDue(a.pending.dueOn, b.pending.dueOn) || a.record.caseNumber.localeCompare(b.record.caseNumber));
  }

  private pendingIn(record: CaseRecord, member: StaffMember): PendingDecision[] {
    const { cases, org, logger } = this.deps;
    try {
      return pendingFor(record.procedure, member.userId, org, cases.profileOf(record));
    } catch (err) {
      // One case with a profile no longer loaded must not hide everyone's other work.
      logger.error({ caseNumber: record.caseNumber, err: err instanceof Error ? err.message : String(err) }, 'pending decisions of a case not listed');
      return [];
    }
  }

  private line(locale: Locale, { record, pending }: Item, n: number, today: IsoDate): string {
    const { staff, org } = this.deps;
    const { dueOn, availableFrom } = pending;
    const date = staff.due(locale, pending);
    let due = dueOn && date ? staff.t(locale, dueOn < today ? 'todo.overdue' : 'todo.due', { date }) : staff.t(locale, 'todo.noDue');
    if (availableFrom && availableFrom > today) due = staff.t(locale, 'todo.from', { due, date: formatDate(locale, availableFrom) });
    return staff.t(locale, 'todo.line', {
      n,
      caseNumber: record.caseNumber,
      head: record.household.head,
      village: org.area(record.area.village)?.name ?? '',
      what: standingIn(staff, locale, pending, staff.action(locale, pending.action, pending.stage, pending.decides)),
      due,
    });
  }

  /** A yes/no decision, or a form to start, that can be taken today. */
  private cardable({ record, pending }: Item, today: IsoDate): boolean {
    const kind = cardKind(pending.action);
    if (!kind || (pending.availableFrom && pending.availableFrom > today)) return false;
    if (kind === 'form') return true;
    return CARD_DECISIONS[pending.action]!.agree(record.procedure, this.deps.org) !== undefined;
  }
}

/** The villages within any of the member's areas. */
export function villagesServed(org: Org, member: StaffMember): string[] {
  const villages = org.file.county.townships.flatMap((t) => t.villages.map((v) => v.code));
  return villages.filter((v) => member.areas.some((a) => org.contains(a, v)));
}

/** A step taken as a stand-in says so (nobody here holds the roles it needs). */
function standingIn(staff: StaffTexts, locale: Locale, pending: PendingDecision, what: string): string {
  if (!pending.standsInFor) return what;
  return staff.t(locale, 'todo.standIn', { what, why: standInWhy(staff, locale, pending.standsInFor) });
}

/** A decision with a card that cannot be taken before a date (a notice still running). */
function waitsForDate({ pending }: Item, today: IsoDate): boolean {
  return CARD_DECISIONS[pending.action] !== undefined && pending.availableFrom !== undefined && pending.availableFrom > today;
}

/** Item numbers as a sentence lists them: 1、2和3 / 1, 2, and 3. */
function listOf(locale: Locale, numbers: number[]): string {
  return new Intl.ListFormat(locale, { type: 'conjunction' }).format(numbers.map(String));
}

function byDue(a: IsoDate | undefined, b: IsoDate | undefined): number {
  if (a === b) return 0;
  if (a === undefined) return 1;
  if (b === undefined) return -1;
  return a < b ? -1 : 1;
}
