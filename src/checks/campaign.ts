import { z } from 'zod';
import { isoDateSchema } from '../policy/calendar-schema.js';
import type { Collection, DocumentStore } from '../stores/document-store.js';

/** The forms a campaign can use: each a flow in flows/ (next year's form is a new flow file and a line here). */
export const CAMPAIGN_FORMS = {
  /** The full 集中排查 visit (the monthly visit's questions, stamped with the campaign). */
  'central-check': { flowId: 'central-check', kind: 'visit' },
  /** The 回头看 indicator sheet A1–D10 (seed004 附件2). */
  'review-survey': { flowId: 'review-survey', kind: 'survey' },
} as const;
export type CampaignForm = keyof typeof CAMPAIGN_FORMS;

/**
 * What opens a campaign (admin API): a name, the period it runs (both days included), its scope (every household
 * known in an area, or the monitored ones), its form, and the statistics settings shown on every record.
 * @example { "name": "2026年冬季集中排查", "period": { "from": "2026-12-01", "to": "2026-12-20" },
 *   "scope": { "area": "430621101", "households": "all" }, "form": "central-check",
 *   "statistics": { "timePoint": "统计调查时点为2026年12月1日24时", "period": "2025年12月1日至2026年11月30日" } }
 */
export const campaignInputSchema = z.strictObject({
  name: z.string().trim().min(2).max(40),
  period: z.strictObject({ from: isoDateSchema, to: isoDateSchema }).refine((p) => p.from <= p.to, 'from must not be after to'),
  scope: z.strictObject({ area: z.string().regex(/^[0-9A-Za-z_-]{1,32}$/), households: z.enum(['all', 'monitored']) }),
  form: z.enum(Object.keys(CAMPAIGN_FORMS) as [CampaignForm, ...CampaignForm[]]),
  statistics: z.strictObject({ timePoint: z.string().trim().min(1).max(60).optional(), period: z.string().trim().min(1).max(60).optional() }).optional(),
});
export type CampaignInput = z.infer<typeof campaignInputSchema>;

/**
 * A campaign (集中排查 or 回头看) as stored: its settings, who opened it, and once closed, its missing list
 * (households not visited, by key, with their village and the cadres whose check it was).
 * @example { "_id": "cmp-…", "name": "2026年冬季集中排查", …, "status": "closed", "openedBy": "admin", "openedAt": "…",
 *   "closedAt": "…", "missing": [{ "householdKey": "Jx3…", "head": "张三", "village": "430621101201", "owners": ["wangcadre"] }] }
 */
export interface Campaign extends CampaignInput {
  _id: string;
  status: 'open' | 'closed';
  openedBy: string;
  openedAt: string;
  closedAt?: string;
  missing?: { householdKey: string; head: string; village: string; owners: string[] }[];
}

/** The `campaigns` collection. */
export class CampaignRepository {
  readonly campaigns: Collection<Campaign>;

  constructor(docs: DocumentStore) {
    this.campaigns = docs.collection<Campaign>('campaigns');
  }

  get(id: string): Promise<Campaign | null> {
    return this.campaigns.get(id);
  }

  open(): Promise<Campaign[]> {
    return this.campaigns.find({ status: 'open' }, { sort: { openedAt: 1 } });
  }

  all(): Promise<Campaign[]> {
    return this.campaigns.find({}, { sort: { openedAt: -1 } });
  }
}
