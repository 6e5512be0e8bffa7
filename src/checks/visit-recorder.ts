import { createHash, randomUUID } from 'node:crypto';
import type { CaseRecord } from '../cases/case-record.js';
import type { Answers, AnswerValue } from '../engine/events.js';
import type { Locale } from '../i18n/i18n.js';
import type { StaffMember } from '../org/org.js';
import { findProfile, incomeThresholdFor, profileKey, shanghaiDate, type PolicyProfile } from '../policy/index.js';
import { DuplicateKeyError } from '../stores/document-store.js';
import { CAMPAIGN_FORMS, type Campaign } from './campaign.js';
import { dayShown, mayVisit, monthShown, type ChecksDeps } from './check-context.js';
import { incomeBandOf } from './check-options.js';
import type { CheckStart } from './check-service.js';
import { MONITORED_STAGES } from './due-list.js';
import type { RegisteredHousehold } from './household-register.js';
import { readTaskId, taskId, VISIT_CHANNELS, type CheckTask, type VisitChannel, type VisitRecord } from './visit-record.js';

/** Answers the service gives a visit form when it starts; they are context, not findings. */
const BINDING = new Set([
  'checkTask', 'householdKey', 'householdHead', 'formLabel', 'formAction', 'caseProfile', 'caseVillage', 'caseId', 'checkFrom', 'hasLastVisit', 'lastVisitShown',
  'canOpenLead', 'monitored', 'hasPlan', 'planMeasureIds', 'planMeasureLabels', 'incomeLine', 'caseEliminated', 'actorUserId', 'flowId', 'formId',
]);

const str = (v: AnswerValue | undefined): string | undefined => (typeof v === 'string' ? v : undefined);

/** The household a visit is for: its case (latest, open or closed) and its register row, either may be missing. */
interface Household {
  key: string;
  record?: CaseRecord;
  row?: RegisteredHousehold;
  head: string;
  township: string;
  village: string;
  group?: string;
}

/**
 * Starts and records visits. Nothing is written until the form's last answer; then one visit record (its
 * findings sealed), and the lead when the cadre asked for one. A retried submission finds its own record.
 */
export class VisitRecorder {
  constructor(private readonly deps: ChecksDeps) {}

  private t(locale: Locale, key: string, vars: Record<string, string | number> = {}): string {
    return this.deps.texts.t(locale, key, vars);
  }

  private async household(key: string): Promise<Household | undefined> {
    const record = (await this.deps.cases.latestOf(key)) ?? undefined;
    const row = (await this.deps.register.get(key)) ?? undefined;
    const area = record?.area ?? row?.area;
    if (!area) return undefined;
    return { key, ...(record ? { record } : {}), ...(row ? { row } : {}), head: record?.household.head ?? row!.head, township: area.township, village: area.village, ...(area.group ? { group: area.group } : {}) };
  }

  /** The visit form for a household, or why not (not theirs, campaign closed). */
  async prepare(member: StaffMember, task: CheckTask, key: string, locale: Locale, now: Date): Promise<CheckStart> {
    const { org, visits } = this.deps;
    const h = await this.household(key);
    if (!h) return { say: [this.t(locale, 'checks:gone')] };
    if (!mayVisit(org, member, h.village)) return { say: [this.t(locale, 'checks:notYours', { place: org.placeName(h.village) })] };
    const campaign = task.kind === 'campaign' ? await this.deps.campaigns.get(task.campaignId) : null;
    if (task.kind === 'campaign' && campaign?.status !== 'open') return { say: [this.t(locale, 'checks:campaignClosed')] };
    const flowId = campaign ? CAMPAIGN_FORMS[campaign.form].flowId : 'monthly-visit';
    const profile = this.profile(h, now);
    const today = shanghaiDate(now);
    const last = await visits.lastOf(key);
    const p = h.record?.procedure;
    const monitored = !!p && MONITORED_STAGES.includes(p.stage);
    const plan = monitored && p.assistancePlan ? p.assistancePlan.measures : [];
    const line = incomeThresholdFor(profile, Number(today.slice(0, 4)));
    const place = org.placeName(h.group ?? h.village);
    const answers: Answers = {
      checkTask: taskId(task),
      flowId,
      // One form, one record: a submission sent again (after a store failure) finds the record it wrote.
      formId: randomUUID(),
      householdKey: key,
      householdHead: h.head,
      formLabel: `${h.head} ${this.t(locale, 'checks:visit.formName')}`,
      caseProfile: profileKey(profile),
      caseVillage: h.village,
      ...(h.record ? { caseId: h.record._id } : {}),
      checkFrom: task.kind === 'monthly' ? `${task.month}-01` : campaign!.period.from,
      hasLastVisit: !!last && flowId !== 'review-survey',
      ...(last ? { lastVisitShown: dayShown(locale, last.visitedOn) } : {}),
      // A new risk opens a lead only for a household without an open case (a monitored one's risk is noted on its case).
      canOpenLead: !p || p.stage === 'eliminated' || p.stage === 'rejected',
      monitored,
      hasPlan: plan.length > 0,
      planMeasureIds: plan.map((_m, i) => `m${i + 1}`),
      planMeasureLabels: plan.map((m) => (typeof m === 'string' ? this.categoryLabel(profile, m) : `${this.categoryLabel(profile, m.category)}：${m.content}`)),
      ...(line !== undefined ? { incomeLine: line } : {}),
      caseEliminated: p?.stage === 'eliminated',
      ...(p && p.monitoringContacts.length ? { contacts: p.monitoringContacts.slice(0, 3) } : {}),
      actorUserId: member.userId,
    };
    const say = [this.t(locale, 'checks:visit.started', { head: h.head, place, task: this.taskName(locale, task, campaign ?? undefined) })];
    if (campaign?.statistics) say.push(this.t(locale, 'checks:visit.statistics', { timePoint: campaign.statistics.timePoint ?? '—', period: campaign.statistics.period ?? '—' }));
    if (flowId === 'review-survey') say.push(this.basicInfo(locale, h, profile));
    return { say, flow: { slotId: `form:check:${taskId(task)}:${key}`, flowId, answers } };
  }

  /** A finished visit form: the record (and the lead asked for). Returns what to tell the cadre. */
  async record(member: StaffMember, answers: Answers, locale: Locale, now: Date, requestId: string): Promise<string> {
    const { org, visits, vault } = this.deps;
    const task = readTaskId(str(answers.checkTask) ?? '');
    const key = str(answers.householdKey);
    const h = key ? await this.household(key) : undefined;
    if (!task || !h) return this.t(locale, 'checks:gone');
    if (!mayVisit(org, member, h.village)) return this.t(locale, 'checks:notYours', { place: org.placeName(h.village) });
    const campaign = task.kind === 'campaign' ? await this.deps.campaigns.get(task.campaignId) : null;
    if (task.kind === 'campaign' && campaign?.status !== 'open') return this.t(locale, 'checks:campaignClosed');
    const id = `visit-${createHash('sha256').update(`${member.userId}\u0000${str(answers.formId) ?? requestId}`).digest('hex').slice(0, 32)}`;
    let record = await visits.visits.get(id);
    if (!record) {
      const built = await this.build(id, member, task, h, answers, now, campaign ?? undefined);
      if (typeof built === 'string') return this.t(locale, built);
      try {
        await visits.visits.insert(built);
      } catch (err) {
        if (!(err instanceof DuplicateKeyError)) throw err;
      }
      record = (await visits.visits.get(id)) ?? built;
      this.deps.logger.info({ task: record.taskId, village: record.village, newRisks: record.newRisks.length, unchanged: record.unchanged }, 'visit recorded');
    }
    const lines = [this.t(locale, 'checks:recorded', { head: h.head, date: dayShown(locale, record.visitedOn), task: this.taskName(locale, task, campaign ?? undefined) })];
    if (answers.openLead === 'yes' && answers.canOpenLead === true) lines.push(await this.lead(member, record, h, answers, locale, now, requestId, vault));
    else if (record.newRisks.length > 0 || record.suddenHardship) {
      // A household with an open case: monitored (its assistance follows it up), or still being identified.
      const onCase = h.record && answers.canOpenLead !== true ? (MONITORED_STAGES.includes(h.record.procedure.stage) ? 'checks:riskNotedOnCase' : 'checks:riskNotedOnOpenCase') : undefined;
      lines.push(this.t(locale, onCase ?? 'checks:riskNoLead', { caseNumber: h.record?.caseNumber ?? '' }));
    }
    if (answers.riskGone === 'gone' && h.record) lines.push(this.t(locale, 'checks:riskGone', { caseNumber: h.record.caseNumber }));
    lines.push(this.t(locale, 'checks:nextHousehold'));
    return lines.join('\n');
  }

  private async build(id: string, member: StaffMember, task: CheckTask, h: Household, answers: Answers, now: Date, campaign?: Campaign): Promise<VisitRecord | string> {
    const unchanged = answers.channel === 'unchangedHome';
    let findings: Answers = Object.fromEntries(Object.entries(answers).filter(([k]) => !BINDING.has(k)));
    if (unchanged) {
      const last = await this.deps.visits.lastOf(h.key);
      if (!last) return 'checks:nothingToCopy';
      // The last findings, today, at the home; a lead asked for then is not asked for again.
      const { openLead: _lead, phone: _phone, householdSize: _size, ...copied } = JSON.parse(this.deps.vault.open(last.findingsSealed)) as Answers;
      findings = { ...copied, channel: 'home', visitDate: shanghaiDate(now) };
    }
    const visitedOn = unchanged ? shanghaiDate(now) : (str(answers.visitDate) ?? shanghaiDate(now));
    const channel = (VISIT_CHANNELS as readonly string[]).includes(String(findings.channel)) ? (findings.channel as VisitChannel) : 'home';
    const income = typeof findings.income === 'number' ? findings.income : undefined;
    const line = typeof answers.incomeLine === 'number' ? answers.incomeLine : undefined;
    const band = income !== undefined ? incomeBandOf(income, line) : undefined;
    if (band) findings.incomeBand = band;
    // D2: the monitoring contacts' phones, from the roster, beside their names (D1).
    if (Array.isArray(findings.contacts)) findings.contactPhones = findings.contacts.map((u) => this.deps.org.findStaff(u)?.phone ?? '');
    const risks = Array.isArray(findings.newRisks) ? findings.newRisks.filter((r) => r !== 'none') : [];
    const flowId = str(answers.flowId) ?? 'monthly-visit';
    return {
      _id: id,
      householdKey: h.key,
      ...(h.record ? { caseId: h.record._id } : {}),
      township: h.township,
      village: h.village,
      ...(h.group ? { group: h.group } : {}),
      visitedOn,
      channel,
      visitorUserId: member.userId,
      task,
      taskId: taskId(task),
      flowId,
      flowVersion: this.deps.flowVersion(flowId),
      ...(campaign?.statistics ? { statistics: campaign.statistics } : {}),
      findingsSealed: this.deps.vault.seal(JSON.stringify(findings)),
      newRisks: risks,
      suddenHardship: findings.suddenHardship === 'yes' || findings.c4 === 'yes',
      unchanged,
      recordedAt: now.toISOString(),
    };
  }

  /** Opens the lead the cadre asked for (once: a retry finds it on the record) and says what came of it. */
  private async lead(member: StaffMember, record: VisitRecord, h: Household, answers: Answers, locale: Locale, now: Date, requestId: string, vault: ChecksDeps['vault']): Promise<string> {
    if (record.leadCaseId) {
      const kase = await this.deps.cases.get(record.leadCaseId);
      return this.t(locale, 'checks:leadOpened', { caseNumber: kase?.caseNumber ?? '' });
    }
    const sealedId = h.record?.household.idNumberSealed ?? h.row?.idNumberSealed;
    if (!sealedId) return this.t(locale, 'checks:leadRefused', { reason: '—' });
    const guarantees = Array.isArray(answers.guarantees) ? answers.guarantees : ['none'];
    const outcome = await this.deps.leads.open(
      {
        head: h.head,
        idNumber: vault.open(sealedId),
        phone: str(answers.phone) ?? '',
        householdSize: typeof answers.householdSize === 'number' ? answers.householdSize : 1,
        township: h.township,
        village: h.village,
        ...(h.group ? { group: h.group } : {}),
        riskTypes: record.newRisks.length ? record.newRisks : ['other'],
        ...(str(answers.otherReason) ? { otherReason: str(answers.otherReason)! } : record.newRisks.length ? {} : { otherReason: this.t('zh-CN', 'checks:suddenHardshipReason') }),
        basicGuarantees: guarantees.length ? guarantees : ['none'],
        description: [this.t('zh-CN', 'checks:leadDescription', { date: record.visitedOn }), str(answers.needs), str(answers.note)].filter(Boolean).join(' '),
        leadFoundOn: record.visitedOn,
      },
      member,
      now,
      requestId,
    );
    if (outcome.kind === 'refused') return this.t(locale, 'checks:leadRefused', { reason: outcome.reason });
    await this.deps.visits.visits.put({ ...record, leadCaseId: outcome.caseId });
    return this.t(locale, outcome.kind === 'created' ? 'checks:leadOpened' : 'checks:leadDuplicate', { caseNumber: outcome.caseNumber });
  }

  /** A1–A8 of the 回头看 sheet, from the case (or the register): only to be confirmed. */
  private basicInfo(locale: Locale, h: Household, profile: PolicyProfile): string {
    const p = h.record?.procedure;
    const none = this.t(locale, 'checks:survey.none');
    const month = (date: string | null | undefined) => (date ? monthShown(locale, date.slice(0, 7)) : none);
    const risks = (h.record?.declaration?.riskTypes ?? []).map((id) => profile.codeLists.riskTypes.find((r) => r.id === id)?.label ?? id);
    return this.t(locale, 'checks:survey.basic', {
      a1: this.deps.org.placeName(h.group ?? h.village),
      a2: h.head,
      a3: h.record?.household.idNumberMasked ?? h.row?.idNumberMasked ?? none,
      a4: h.record?.household.size ?? none,
      a5: none,
      a6: risks.length ? risks.join('、') : none,
      a7: month(p?.identifiedOn),
      a8: p?.stage === 'eliminated' ? month(p.eliminatedOn) : this.t(locale, 'checks:survey.notEliminated'),
    });
  }

  private profile(h: Household, now: Date): PolicyProfile {
    const key = h.record?.procedure.profileKey;
    return (key ? findProfileIn(this.deps, key) : undefined) ?? this.deps.profileFor(h.village, now);
  }

  private categoryLabel(profile: PolicyProfile, id: string): string {
    return profile.codeLists.measureCategories.find((c) => c.id === id)?.label ?? id;
  }

  private taskName(locale: Locale, task: CheckTask, campaign?: Campaign): string {
    if (task.kind === 'monthly') return this.t(locale, 'checks:task.monthlyName', { month: monthShown(locale, task.month) });
    return this.t(locale, `checks:task.${CAMPAIGN_FORMS[campaign?.form ?? 'central-check'].kind}Name`, { name: campaign?.name ?? '' });
  }
}

function findProfileIn(deps: ChecksDeps, key: string): PolicyProfile | undefined {
  return deps.profiles ? findProfile(deps.profiles, key) : undefined;
}
