import type { CaseRecord } from '../cases/case-record.js';
import type { CaseRepository } from '../cases/case-repository.js';
import type { Org, StaffMember } from '../org/org.js';
import { keyGroupsOf, type PolicyProfile } from '../policy/index.js';
import { STAGES, type Stage } from '../procedure/stages.js';
import type { Campaign } from './campaign.js';
import type { HouseholdRegister, RegisteredHousehold } from './household-register.js';
import type { CheckTask, VisitRecord, VisitRepository } from './visit-record.js';

/** Stages of a monitored household (监测对象): identified and not (yet) eliminated. */
export const MONITORED_STAGES: readonly Stage[] = STAGES.filter(
  (s) => !['lead', 'homeVerification', 'dataCrossCheck', 'villageAppraisal', 'publicNotice', 'townshipReview', 'countyApproval', 'eliminated', 'rejected'].includes(s),
);

/**
 * A household on a check list: a case's household or a registered one (one entry per ID-number key), with
 * the cadres whose check it is (its monitoring contacts; the village's cadres when it has none).
 * @example { "key": "Jx3…", "head": "张三", "township": "430621101", "village": "430621101201", "caseId": "5f0c…",
 *   "stage": "monitoring", "keyGroups": [], "idTail": "1234", "owners": ["wangcadre"], "done": true, "visits": 2 }
 */
export interface DueHousehold {
  key: string;
  head: string;
  township: string;
  village: string;
  group?: string;
  caseId?: string;
  stage?: Stage;
  keyGroups: string[];
  /** The last four characters of the ID number (as its masked form shows them), to tell namesakes apart. */
  idTail: string;
  owners: string[];
  /** Visited for the task (once or more). */
  done: boolean;
  visits: number;
}

/**
 * Who is due a check: for the month, every monitored household and every registered household in one of the
 * profile's key groups (seed003 一); for a campaign, every household known in its area, or its monitored ones.
 */
export class DueList {
  constructor(
    private readonly deps: {
      cases: CaseRepository;
      register: HouseholdRegister;
      visits: VisitRepository;
      org: Org;
      profileFor: (villageCode: string, now: Date) => PolicyProfile;
    },
  ) {}

  /** The villages under any of these area codes. */
  villagesUnder(areas: readonly string[]): string[] {
    const { org } = this.deps;
    return [...new Set(areas.flatMap((a) => (org.area(a)?.level === 'village' ? [a] : org.descendants(a, 'village').map((v) => v.code))))];
  }

  /** The households due for the task in these villages, each marked done or not. */
  async due(task: CheckTask, inVillages: readonly string[], now: Date, campaign?: Campaign): Promise<DueHousehold[]> {
    const { cases, register, visits, org } = this.deps;
    // A campaign covers its own area only, whatever else the asker serves.
    const villages = campaign ? inVillages.filter((v) => org.contains(campaign.scope.area, v)) : inVillages;
    const monitoredOnly = task.kind === 'monthly' || campaign?.scope.households === 'monitored';
    const caseList = await cases.inVillages(villages, task.kind === 'monthly' || monitoredOnly ? MONITORED_STAGES : STAGES);
    const registered = monitoredOnly && task.kind !== 'monthly' ? [] : await register.inVillages(villages);
    const done = countByHousehold(await visits.forTask(task, villages));
    const byKey = new Map<string, DueHousehold>();
    // Newest case first, so the household's latest case is the one shown.
    for (const record of [...caseList].reverse()) {
      if (!byKey.has(record.household.idNumberKey)) byKey.set(record.household.idNumberKey, this.fromCase(record, done));
    }
    for (const row of registered) {
      const known = byKey.get(row._id);
      const groups = task.kind === 'monthly' ? this.keyGroupsChecked(row, now) : row.keyGroups;
      if (known) known.keyGroups = groups;
      else if (task.kind !== 'monthly' || groups.length > 0) byKey.set(row._id, this.fromRegister(row, groups, done));
    }
    return [...byKey.values()].sort((a, b) => a.village.localeCompare(b.village) || (a.group ?? '').localeCompare(b.group ?? '') || a.head.localeCompare(b.head, 'zh-CN'));
  }

  /** A cadre's share: the households whose check is theirs. */
  async dueFor(member: StaffMember, task: CheckTask, now: Date, campaign?: Campaign): Promise<DueHousehold[]> {
    const villages = this.villagesUnder(member.areas).filter((v) => this.deps.org.serves(member, 'cadre', v));
    const all = await this.due(task, villages, now, campaign);
    return all.filter((h) => h.owners.some((o) => o.toLowerCase() === member.userId.toLowerCase()));
  }

  /** The key groups of a registered household its village's profile still counts (a group dropped from the profile is not checked). */
  private keyGroupsChecked(row: RegisteredHousehold, now: Date): string[] {
    const ids = new Set(keyGroupsOf(this.deps.profileFor(row.area.village, now)).map((g) => g.id as string));
    return row.keyGroups.filter((g) => ids.has(g));
  }

  private owners(village: string, contacts: readonly string[]): string[] {
    return contacts.length > 0 ? [...contacts] : this.deps.org.staffServing(village, 'cadre').map((m) => m.userId);
  }

  private fromCase(record: CaseRecord, done: Map<string, number>): DueHousehold {
    const key = record.household.idNumberKey;
    const monitored = MONITORED_STAGES.includes(record.procedure.stage);
    return {
      key,
      head: record.household.head,
      township: record.area.township,
      village: record.area.village,
      ...(record.area.group ? { group: record.area.group } : {}),
      caseId: record._id,
      stage: record.procedure.stage,
      keyGroups: [],
      idTail: record.household.idNumberMasked.slice(-4),
      owners: this.owners(record.area.village, monitored ? record.procedure.monitoringContacts : []),
      done: (done.get(key) ?? 0) > 0,
      visits: done.get(key) ?? 0,
    };
  }

  private fromRegister(row: RegisteredHousehold, keyGroups: string[], done: Map<string, number>): DueHousehold {
    return {
      key: row._id,
      head: row.head,
      township: row.area.township,
      village: row.area.village,
      ...(row.area.group ? { group: row.area.group } : {}),
      keyGroups,
      idTail: row.idNumberMasked.slice(-4),
      owners: this.owners(row.area.village, []),
      done: (done.get(row._id) ?? 0) > 0,
      visits: done.get(row._id) ?? 0,
    };
  }
}

function countByHousehold(visits: VisitRecord[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const v of visits) counts.set(v.householdKey, (counts.get(v.householdKey) ?? 0) + 1);
  return counts;
}
