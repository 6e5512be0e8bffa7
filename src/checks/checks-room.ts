import type { ChecksDeps } from './check-context.js';
import { CheckService } from './check-service.js';
import { CheckNotices } from './check-notices.js';
import { CampaignService } from './campaign-service.js';
import { RegisterImport } from './register-import.js';
import type { Campaign } from './campaign.js';
import { CampaignDeadlines, CheckDeadlines } from './check-deadlines.js';
import type { DeadlineSource } from '../reminders/deadline-source.js';

/**
 * The checks room (定期排查, 集中排查, 回头看, registers), wired once: the chat side (`service`), what the scheduler
 * calls (`monthlyCheckStart`, `monthlyCheckReport`, `closeDueCampaigns`), campaigns and register imports for the admin API.
 */
export class ChecksRoom {
  readonly service: CheckService;
  readonly notices: CheckNotices;
  readonly campaigns: CampaignService;
  readonly registerImport: RegisterImport;
  /** The monthly report day and campaign ends as deadlines the reminders plan from (named `check` and `campaign`). */
  readonly deadlines: { checks: DeadlineSource; campaigns: DeadlineSource };

  private constructor(readonly deps: ChecksDeps) {
    this.service = new CheckService(deps);
    this.notices = new CheckNotices({ ...deps, progress: this.service.progress });
    this.campaigns = new CampaignService({ ...deps, progress: this.service.progress, notices: this.notices });
    this.deadlines = { checks: new CheckDeadlines({ ...deps, progress: this.service.progress }), campaigns: new CampaignDeadlines({ ...deps, progress: this.service.progress }) };
    this.registerImport = new RegisterImport({ register: deps.register, cases: deps.cases, vault: deps.vault, org: deps.org, profileFor: deps.profileFor });
  }

  static async create(deps: ChecksDeps): Promise<ChecksRoom> {
    await deps.register.init();
    await deps.visits.init();
    return new ChecksRoom(deps);
  }

  /** The 1st of the month: each cadre's card with the households due (see CheckNotices.monthlyCheckStart). */
  monthlyCheckStart(now: Date): Promise<number> {
    return this.notices.monthlyCheckStart(now);
  }

  /** The report day: the township's and the county's summaries (nothing on other days). */
  monthlyCheckReport(now: Date): Promise<number> {
    return this.notices.monthlyCheckReport(now);
  }

  /** Running campaigns: each cadre with households in one gets its card once (see CheckNotices.campaignStart). */
  campaignStart(now: Date): Promise<number> {
    return this.campaigns.announceRunningCampaigns(now);
  }

  /** Campaigns whose end date is over are closed with their missing list. */
  closeDueCampaigns(now: Date): Promise<Campaign[]> {
    return this.campaigns.closeDueCampaigns(now);
  }
}


/**
 * The checks' deadline sources for reminders built before the room is (the room comes with the conversation):
 * each asks the room once it is there, and has nothing open until then.
 */
export function lateCheckDeadlines(room: () => ChecksRoom | undefined): { checks: DeadlineSource; campaigns: DeadlineSource } {
  const late = (name: 'checks' | 'campaigns', prefix: string): DeadlineSource => ({
    name: prefix,
    openItems: async (today) => (await room()?.deadlines[name].openItems(today)) ?? [],
    stillOpen: async (keys, today) => (await room()?.deadlines[name].stillOpen(keys, today)) ?? [],
  });
  return { checks: late('checks', 'check'), campaigns: late('campaigns', 'campaign') };
}
