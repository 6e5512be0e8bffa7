import type { Collection, DocumentStore } from '../stores/document-store.js';

/** How a visit was made (走访方式): at the home, by phone, by WeChat (an absent household, brief §5.5). */
export const VISIT_CHANNELS = ['home', 'phone', 'wechat'] as const;
export type VisitChannel = (typeof VISIT_CHANNELS)[number];

/**
 * What a visit counts for: the month's 定期排查 ('YYYY-MM'), or a campaign (集中排查 / 回头看).
 * @example { "kind": "monthly", "month": "2026-12" } · { "kind": "campaign", "campaignId": "cmp-…" }
 */
export type CheckTask = { kind: 'monthly'; month: string } | { kind: 'campaign'; campaignId: string };

/** A task's short id, used in conversation slots and card ids: 'monthly-2026-12' or the campaign id. */
export function taskId(task: CheckTask): string {
  return task.kind === 'monthly' ? `monthly-${task.month}` : task.campaignId;
}

/** The month before a 'YYYY-MM' month. */
export function monthBefore(month: string): string {
  const [y, m] = [Number(month.slice(0, 4)), Number(month.slice(5, 7))];
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}

/** The task a task id names. */
export function readTaskId(id: string): CheckTask | undefined {
  const m = /^monthly-(\d{4}-(?:0[1-9]|1[0-2]))$/.exec(id);
  if (m) return { kind: 'monthly', month: m[1]! };
  return /^cmp-[0-9a-z-]{8,64}$/.test(id) ? { kind: 'campaign', campaignId: id } : undefined;
}

/**
 * One visit (走访记录, glossary `visitRecord`). Findings hold income and health, so they are sealed; the new risk
 * ids stay in the clear for counting (no figure, no words). A household visited twice keeps both records and
 * counts once for its task.
 * @example { "_id": "visit-…", "householdKey": "Jx3…", "caseId": "5f0c…", "township": "430621101", "village": "430621101201",
 *   "visitedOn": "2026-12-03", "channel": "home", "visitorUserId": "wangcadre", "task": { "kind": "monthly", "month": "2026-12" },
 *   "flowId": "monthly-visit", "findingsSealed": "v1.…", "newRisks": ["illness"], "suddenHardship": false, "unchanged": false,
 *   "leadCaseId": "9a1e…", "recordedAt": "2026-12-03T07:00:00.000Z" }
 */
export interface VisitRecord {
  /** Made from the message that submitted it, so a retried submission is the same record. */
  _id: string;
  householdKey: string;
  caseId?: string;
  township: string;
  village: string;
  group?: string;
  visitedOn: string;
  channel: VisitChannel;
  visitorUserId: string;
  task: CheckTask;
  /** The task id ('monthly-2026-12' or the campaign id), for queries. */
  taskId: string;
  /** The flow (form) the findings were recorded with, and its version: next year's form is another flow. */
  flowId: string;
  flowVersion: number;
  /** The campaign's statistics time point and period, as the campaign set them (they appear on every record). */
  statistics?: { timePoint?: string; period?: string };
  /** JSON of the findings (the form's answers), sealed. */
  findingsSealed: string;
  newRisks: string[];
  suddenHardship: boolean;
  /** "没有变化": the findings are the previous record's. */
  unchanged: boolean;
  /** The lead opened from this visit, if any. */
  leadCaseId?: string;
  recordedAt: string;
}

/** The `visits` collection. */
export class VisitRepository {
  readonly visits: Collection<VisitRecord>;

  constructor(docs: DocumentStore) {
    this.visits = docs.collection<VisitRecord>('visits');
  }

  async init(): Promise<void> {
    await this.visits.ensureIndex(['taskId', 'village']);
    await this.visits.ensureIndex(['householdKey']);
  }

  /** Visits of a task in these villages. */
  async forTask(task: CheckTask, villages: readonly string[]): Promise<VisitRecord[]> {
    if (villages.length === 0) return [];
    return this.visits.find({ taskId: taskId(task), village: { $in: [...villages] } }, { sort: { recordedAt: 1 } });
  }

  /** The household's latest visit, whatever it counted for. */
  async lastOf(householdKey: string): Promise<VisitRecord | undefined> {
    const [last] = await this.visits.find({ householdKey }, { sort: { visitedOn: -1, recordedAt: -1 }, limit: 1 });
    return last;
  }
}
