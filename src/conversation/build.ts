import type { Logger } from 'pino';
import { AuditLog } from '../audit/audit-log.js';
import { CaseAudit } from '../cases/case-audit.js';
import { CaseMessages } from '../cases/case-messages.js';
import { randomCaseNumber, type CaseNumberSource } from '../cases/case-number.js';
import { CaseRepository } from '../cases/case-repository.js';
import { CaseService } from '../cases/case-service.js';
import { DeclarationService } from '../cases/declaration-service.js';
import { PhoneDisclosures } from '../cases/phone-disclosures.js';
import { LeadReports } from '../cases/lead-reports.js';
import { checkEngineTexts } from '../engine/engine-texts.js';
import { FlowLoadError, loadFlows } from '../engine/flow-loader.js';
import type { Flow } from '../engine/flow-schema.js';
import { LOCALES, type Texts } from '../i18n/i18n.js';
import type { Org } from '../org/org.js';
import { findProfile, loadProfiles, loadWorkCalendar, profileChooser, type PolicyProfile, type WorkCalendar } from '../policy/index.js';
import type { Vault } from '../privacy/vault.js';
import type { Clock } from '../shared/clock.js';
import { FLOWS_DIR, PROJECT_ROOT } from '../shared/paths.js';
import type { DocumentStore } from '../stores/document-store.js';
import type { StateStore } from '../stores/state-store.js';
import { AREA_OPTION_SOURCES } from './area-options.js';
import type { Outbox } from '../outbox/outbox-item.js';
import type { CaseRecord } from '../cases/case-record.js';
import { WorkNotices, type SentCards } from '../work/work-notices.js';
import { FormService } from '../forms/form-service.js';
import { HouseholdAgreement, kfReplyWindow } from '../forms/household-agreement.js';
import { KfSessions } from '../channel/kf-session.js';
import { ConversationService, FLOW_CHECKS } from './conversation-service.js';
import { ConversationStore } from './conversation-store.js';
import { HelpResponder } from './help-responder.js';
import type { ReminderCardActions } from '../reminders/reminder-cards.js';
import { LeadMessages } from './lead-messages.js';
import { StaffDecisions, type HouseholdRouteOf, type UpdateCard } from './staff-decisions.js';
import { StaffTexts } from './staff-texts.js';
import { StaffTodo, type HeldHouseholdMessage } from './staff-todo.js';
import { CampaignRepository } from '../checks/campaign.js';
import { CHECK_OPTION_SOURCES } from '../checks/check-options.js';
import { ChecksRoom } from '../checks/checks-room.js';
import { declarationLeadOpener } from '../checks/declaration-lead-opener.js';
import { DueList } from '../checks/due-list.js';
import { HouseholdRegister } from '../checks/household-register.js';
import { VisitRepository } from '../checks/visit-record.js';
import { shanghaiDate } from '../policy/dates.js';

/** How long conversation state is kept after the idle expiry, to tell a returning person it ended. */
const RETAIN_AFTER_EXPIRY_MS = 30 * 24 * 3_600_000;

export interface ConversationServiceDeps {
  state: StateStore;
  docs: DocumentStore;
  vault: Vault;
  org: Org;
  texts: Texts;
  clock: Clock;
  logger: Logger;
  /** The one sending path for everything but the answer to the person talking. */
  outbox: Outbox;
  /** Cards sent earlier (the outbox's records), to grey them out once their step is taken. */
  sentCards?: SentCards;
  /** Greys out a decision card after a click (WeCom update_template_card); through the outbox unless given. */
  updateCard?: UpdateCard;
  conversation: { resumeAfterMs: number; expireAfterMs: number };
  profiles?: readonly PolicyProfile[];
  calendar?: WorkCalendar;
  caseNumbers?: CaseNumberSource;
  flowsDir?: string;
  /** Which way a household was told of a decision (the outbox's record), for the staff member's confirmation. */
  householdRoute?: HouseholdRouteOf;
  /** Household messages of a sender's decisions that reached no one, for their 我的待办. */
  heldFor?: (userId: string) => Promise<HeldHouseholdMessage[]>;
  /** The buttons of reminder cards (src/reminders). */
  reminders?: ReminderCardActions;
}

/** Loads the flows (refusing to start on a broken flow or a missing text) and wires the conversation service. */
export async function buildConversationService(deps: ConversationServiceDeps): Promise<ConversationService> {
  return (await buildConversation(deps)).service;
}

/** The conversation service and the checks room it starts checks in (the admin API and the scheduler use the room too). */
export async function buildConversation(deps: ConversationServiceDeps): Promise<{ service: ConversationService; checks: ChecksRoom }> {
  const { texts } = deps;
  // Every problem at once: engine texts and every flow, so one start shows all there is to fix.
  const errors = checkEngineTexts(LOCALES, (l, k) => texts.has(l, k));
  let flows: Map<string, Flow> = new Map();
  try {
    flows = loadFlows(deps.flowsDir ?? FLOWS_DIR, {
      locales: LOCALES,
      hasKey: (l, k) => texts.has(l, k),
      optionSources: [...AREA_OPTION_SOURCES, ...CHECK_OPTION_SOURCES],
      checks: FLOW_CHECKS,
      root: PROJECT_ROOT,
    });
  } catch (err) {
    if (!(err instanceof FlowLoadError)) throw err;
    errors.push(...err.errors);
  }
  if (errors.length) throw new FlowLoadError(errors);
  const caseRepo = new CaseRepository(deps.docs, deps.vault);
  await caseRepo.init();
  const caseAudit = new CaseAudit({ repo: caseRepo, audit: new AuditLog(deps.docs, deps.vault.auditKey) });
  const profiles = deps.profiles ?? loadProfiles();
  // The profile named for the county (org file, or POLICY_PROFILE written into it by server.ts); refuses an unknown name.
  const chooseProfile = profileChooser(profiles, deps.org.file.policyProfile);
  const calendar = deps.calendar ?? loadWorkCalendar();
  const caseMessages = new CaseMessages({ texts, org: deps.org, profiles });
  const staff = new StaffTexts(texts);
  // The work comes to the person: each step taken sends the next step's cards and greys out the old ones.
  const work = new WorkNotices({
    org: deps.org,
    staff,
    outbox: deps.outbox,
    sentCards: deps.sentCards ?? { cardsOf: async () => [] },
    profileOf: (record) => {
      const profile = findProfile(profiles, record.procedure.profileKey);
      if (!profile) throw new Error(`case ${record.caseNumber}: profile ${record.procedure.profileKey} is not loaded`);
      return profile;
    },
    logger: deps.logger,
  });
  // Set once built: a step that reaches the household's agreement asks the household on 微信客服.
  const built: { conversation?: ConversationService } = {};
  const onStep = async (record: CaseRecord, actor: string | undefined, now: Date, action?: string) => {
    await work.stepTaken(record, actor ? { name: deps.org.findStaff(actor)?.name ?? actor, at: now, ...(action ? { action } : {}) } : undefined, now);
    await built.conversation?.caseMoved(record, now);
  };
  const declarations = new DeclarationService({
    repo: caseRepo,
    caseAudit,
    vault: deps.vault,
    org: deps.org,
    profiles,
    chooseProfile,
    calendar,
    caseNumbers: deps.caseNumbers ?? randomCaseNumber,
    onStep,
  });
  const cases = new CaseService({ repo: caseRepo, caseAudit, org: deps.org, profiles, calendar, messages: caseMessages, outbox: deps.outbox, logger: deps.logger, onStep });
  const updateCard: UpdateCard =
    deps.updateCard ??
    ((update) => deps.outbox.enqueue([{ id: `cardupdate:${update.response_code}`, purpose: 'cardUpdate', delivery: { type: 'cardUpdate', update } }]));
  // The same keys the kf puller keeps the reply window under (src/channel/kf-session.ts).
  const replyWindow = kfReplyWindow(new KfSessions(deps.state, () => deps.clock.now().getTime()));
  const householdAgreement = new HouseholdAgreement({ repo: caseRepo, cases, org: deps.org, texts, outbox: deps.outbox, window: replyWindow, logger: deps.logger });
  const register = new HouseholdRegister(deps.docs);
  const visits = new VisitRepository(deps.docs);
  const profileFor = (village: string, now: Date) => chooseProfile(village, shanghaiDate(now));
  const checks = await ChecksRoom.create({
    cases: caseRepo,
    register,
    visits,
    campaigns: new CampaignRepository(deps.docs),
    dueList: new DueList({ cases: caseRepo, register, visits, org: deps.org, profileFor }),
    vault: deps.vault,
    org: deps.org,
    texts,
    calendar,
    outbox: deps.outbox,
    logger: deps.logger,
    profileFor,
    profiles,
    leads: declarationLeadOpener(declarations, staff),
    flowVersion: (id) => flows.get(id)?.version ?? 0,
  });
  const staffTodo = new StaffTodo({ repo: caseRepo, cases, org: deps.org, staff, logger: deps.logger, ...(deps.heldFor ? { heldFor: deps.heldFor } : {}) });
  const conversation = new ConversationService({
    flows,
    store: new ConversationStore({ state: deps.state, docs: deps.docs, vault: deps.vault, retainMs: deps.conversation.expireAfterMs + RETAIN_AFTER_EXPIRY_MS, logger: deps.logger }),
    texts,
    org: deps.org,
    clock: deps.clock,
    logger: deps.logger,
    help: new HelpResponder({ org: deps.org, texts }),
    declarations,
    leads: new LeadReports({ declarations }),
    leadMessages: new LeadMessages({ staff, org: deps.org }),
    caseRepo,
    caseMessages,
    staffTodo,
    staffDecisions: new StaffDecisions({
      cases,
      repo: caseRepo,
      org: deps.org,
      staff,
      texts,
      updateCard,
      logger: deps.logger,
      cardsFor: (member, locale, now, caseIds) => staffTodo.cardsFor(member, locale, now, caseIds),
      ...(deps.householdRoute ? { householdRoute: deps.householdRoute } : {}),
      ...(deps.reminders ? { reminders: deps.reminders } : {}),
    }),
    outbox: deps.outbox,
    forms: new FormService({ repo: caseRepo, cases, org: deps.org, staff, texts, logger: deps.logger }),
    householdAgreement,
    phones: new PhoneDisclosures({ repo: caseRepo, docs: deps.docs, vault: deps.vault, org: deps.org }),
    staffTexts: staff,
    profiles,
    resumeAfterMs: deps.conversation.resumeAfterMs,
    expireAfterMs: deps.conversation.expireAfterMs,
    checks: checks.service,
  });
  built.conversation = conversation;
  return { service: conversation, checks };
}
