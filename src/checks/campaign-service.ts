import { randomUUID } from 'node:crypto';
import { shanghaiDate } from '../policy/index.js';
import type { Campaign, CampaignInput } from './campaign.js';
import type { ChecksDeps } from './check-context.js';
import type { CheckNotices } from './check-notices.js';
import type { CheckProgress, CheckSummary } from './check-progress.js';

/**
 * Campaigns (集中排查, 回头看): opened by a county or township through the admin API, visited by cadres by chat,
 * closed on their end date (or by hand) with the missing list kept on the campaign and sent by chat.
 */
export class CampaignService {
  constructor(private readonly deps: ChecksDeps & { progress: CheckProgress; notices: CheckNotices }) {}

  async open(input: CampaignInput, by: string, now: Date): Promise<Campaign> {
    const campaign: Campaign = { ...input, _id: `cmp-${randomUUID()}`, status: 'open', openedBy: by, openedAt: now.toISOString() };
    await this.deps.campaigns.campaigns.insert(campaign);
    this.deps.logger.info({ campaign: campaign._id, form: campaign.form, area: campaign.scope.area }, 'campaign opened');
    // Running already: its cadres hear of it now, not at tomorrow's tick (which would find these cards sent).
    await this.deps.notices.campaignStart(campaign, now);
    return campaign;
  }

  /** Progress in the campaign's area, one line per village. */
  async progress(campaign: Campaign, now: Date): Promise<CheckSummary> {
    return this.deps.progress.summary({ kind: 'campaign', campaignId: campaign._id }, campaign.scope.area, now, campaign);
  }

  /** Closes a campaign: its missing list is kept and sent. Closing a closed one changes nothing. */
  async close(campaign: Campaign, now: Date): Promise<Campaign> {
    if (campaign.status === 'closed') return campaign;
    const summary = await this.progress(campaign, now);
    const closed: Campaign = {
      ...campaign,
      status: 'closed',
      closedAt: now.toISOString(),
      missing: summary.missing.map((h) => ({ householdKey: h.key, head: h.head, village: h.village, owners: h.owners })),
    };
    if (!(await this.deps.campaigns.campaigns.replaceWhere(closed, { status: 'open' }))) return (await this.deps.campaigns.get(campaign._id)) ?? closed;
    this.deps.logger.info({ campaign: campaign._id, missing: closed.missing?.length ?? 0 }, 'campaign closed');
    await this.deps.notices.campaignClosed(closed, now);
    return closed;
  }

  /** What the scheduler calls each day: each running campaign's cards to the cadres (once per campaign and cadre). Returns how many. */
  async announceRunningCampaigns(now: Date): Promise<number> {
    let sent = 0;
    for (const c of await this.deps.campaigns.open()) sent += await this.deps.notices.campaignStart(c, now);
    return sent;
  }

  /** What the scheduler calls each day: campaigns whose end date has passed are closed. Returns the ones closed. */
  async closeDueCampaigns(now: Date): Promise<Campaign[]> {
    const today = shanghaiDate(now);
    const closed: Campaign[] = [];
    for (const c of await this.deps.campaigns.open()) if (c.period.to < today) closed.push(await this.close(c, now));
    return closed;
  }
}
