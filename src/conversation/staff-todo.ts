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
import { pendingFor, type PendingDecision } from '../procedure/pending.js';
import type { Stage } from '../procedure/stages.js';
import { decisionCard } from './decision-card-view.js';
import { CARD_DECISIONS, cardKind } from './decision-cards.js';
import type { StaffTexts } from './staff-texts.js';

/** Stages some step waits for. Monitored and closed cases wait for no one, so 我的待办 never reads them. */
const AWAITING_STAGES: readonly Stage[] = [...new Set(MOVES.filter((m) => m.awaited).map((m) => m.from))];
/** WeCom silently drops app messages beyond 30 a minute to one member; a list sends at most this many cards. */
export const MAX_CARDS_PER_LIST = 5;

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

/** 我的待办: every decision waiting for a staff member in the villages they serve, by due date, with cards for the yes/no ones. */
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

  async list(member: StaffMember, locale: Locale, now: Date): Promise<Outbound[]> {
    const { staff } = this.deps;
    const today = shanghaiDate(now);
    const items = await this.pendingOf(member);
    const held = await this.heldNote(member, locale, now);
    if (items.length === 0) return [{ type: 'text', text: [staff.t(locale, 'todo.none', { name: member.name }), ...held].join('\n') }];

    const lines = items.map((item, i) => this.line(locale, item, i + 1, today));
    const cardable = items.filter((item) => this.cardable(item, today));
    const shown = cardable.slice(0, MAX_CARDS_PER_LIST);
    // Items no card can decide (a form is needed) and not merely waiting for a date: said only when there are some.
    const offline = items.flatMap((item, i) => (this.cardable(item, today) || waitsForDate(item, today) ? [] : [i + 1]));
    const { name: contactName, phone: contactPhone } = this.deps.org.contact;
    const notes = [
      ...(shown.length > 0 ? [staff.t(locale, 'todo.cards', { count: shown.length })] : []),
      ...(cardable.length > shown.length ? [staff.t(locale, 'todo.moreCards', { count: cardable.length - shown.length })] : []),
      ...(offline.length > 0 ? [staff.t(locale, 'todo.offline', { count: offline.length, items: listOf(locale, offline), contactName, contactPhone })] : []),
    ];
    const head = staff.t(locale, 'todo.head', { name: member.name, count: items.length });
    return [{ type: 'text', text: [head, ...lines, ...notes, ...held].join('\n') }, ...shown.map((item) => this.card(item, locale))];
  }

  /** The cards of the member's steps on these cases that a card can take today (a reminder's 去办理), at most a list's worth. */
  async cardsFor(member: StaffMember, locale: Locale, now: Date, caseIds: string[]): Promise<Outbound[]> {
    const today = shanghaiDate(now);
    const wanted = new Set(caseIds);
    const items = (await this.pendingOf(member)).filter((item) => wanted.has(item.record._id) && this.cardable(item, today));
    return items.slice(0, MAX_CARDS_PER_LIST).map((item) => this.card(item, locale));
  }

  private card(item: Item, locale: Locale): Outbound {
    return {
      type: 'card',
      card: decisionCard({ ...item, org: this.deps.org, staff: this.deps.staff, locale }),
      about: { caseId: item.record._id, version: item.record.procedure.version, action: item.pending.action },
    };
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

  private async pendingOf(member: StaffMember): Promise<Item[]> {
    const { repo, cases, org, logger } = this.deps;
    const records = await repo.inVillages(villagesServed(org, member), AWAITING_STAGES);
    const items = records.flatMap((record) => {
      try {
        return pendingFor(record.procedure, member.userId, org, cases.profileOf(record)).map((pending) => ({ record, pending }));
      } catch (err) {
        // One case with a profile no longer loaded must not hide everyone's other work.
        logger.error({ caseNumber: record.caseNumber, err: err instanceof Error ? err.message : String(err) }, 'pending decisions of a case not listed');
        return [];
      }
    });
    return items.sort((a, b) => byDue(a.pending.dueOn, b.pending.dueOn) || a.record.caseNumber.localeCompare(b.record.caseNumber));
  }

  private line(locale: Locale, { record, pending }: Item, n: number, today: IsoDate): string {
    const { staff, org } = this.deps;
    const { dueOn, availableFrom } = pending;
    let due = dueOn ? staff.t(locale, dueOn < today ? 'todo.overdue' : 'todo.due', { date: formatDate(locale, dueOn) }) : staff.t(locale, 'todo.noDue');
    if (availableFrom && availableFrom > today) due = staff.t(locale, 'todo.from', { due, date: formatDate(locale, availableFrom) });
    return staff.t(locale, 'todo.line', {
      n,
      caseNumber: record.caseNumber,
      head: record.household.head,
      village: org.area(record.area.village)?.name ?? '',
      what: staff.action(locale, pending.action, pending.stage),
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
