import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { CallbackService } from './channel/callback-service.js';
import { Deduplicator } from './channel/dedupe.js';
import { KfPuller } from './channel/kf-puller.js';
import { KfSessions } from './channel/kf-session.js';
import type { ChatHandler } from './channel/messages.js';
import { Messenger } from './channel/messenger.js';
import { adminPlugin } from './admin/admin.plugin.js';
import { casesRoutes } from './admin/cases.route.js';
import { outboxRoutes } from './admin/outbox.route.js';
import { remindersRoutes } from './admin/reminders.route.js';
import { AuditLog } from './audit/audit-log.js';
import { CaseAudit } from './cases/case-audit.js';
import { CaseRepository } from './cases/case-repository.js';
import { SenderRateLimit } from './channel/rate-limit.js';
import type { DeliveryQueue } from './outbox/delivery-queue.js';
import { LocalDeliveryQueue } from './outbox/delivery-queue.local.js';
import { DurableOutbox } from './outbox/durable-outbox.js';
import { OutboxStore } from './outbox/outbox-store.js';
import { OutboxWorker } from './outbox/outbox-worker.js';
import type { GuardVerdict } from './outbox/delivery-guard.js';
import { householdCaseLookup, relayText } from './outbox/household-relay.js';
import { HouseholdRoutes } from './outbox/household-routes.js';
import { CaseDeadlines } from './reminders/case-deadlines.js';
import { DailyJobs } from './reminders/daily-jobs.js';
import type { DeadlineSource } from './reminders/deadline-source.js';
import { DigestView } from './reminders/digest-view.js';
import { ReminderAcks } from './reminders/reminder-acks.js';
import { ReminderCards } from './reminders/reminder-cards.js';
import { hourlyAt, type ReminderScheduler } from './reminders/reminder-scheduler.js';
import { LocalReminderScheduler } from './reminders/reminder-scheduler.local.js';
import { ReminderService } from './reminders/reminder-service.js';
import { deadlineSources } from './reminders/reminder-sources.js';
import { StaffTexts } from './conversation/staff-texts.js';
import type { Config } from './config.js';
import type { CaseNumberSource } from './cases/case-number.js';
import { buildConversation } from './conversation/build.js';
import { lateCheckDeadlines, type ChecksRoom } from './checks/checks-room.js';
import { ChecksDaily } from './checks/checks-daily.js';
import { registersRoutes } from './admin/registers.route.js';
import { campaignsRoutes } from './admin/campaigns.route.js';
import { callbackRoutes } from './http/callback.route.js';
import { registerErrorHandler } from './http/error-handler.js';
import { healthRoutes } from './http/health.route.js';
import { createTexts, type Texts } from './i18n/i18n.js';
import type { Org } from './org/org.js';
import { loadProfiles, loadWorkCalendar, type PolicyProfile, profileChooser, profileWarnings, shanghaiDate, type WorkCalendar } from './policy/index.js';
import { staffingGaps } from './procedure/staffing-gaps.js';
import type { Vault } from './privacy/vault.js';
import { BackgroundWork } from './shared/background-work.js';
import { systemClock, type Clock } from './shared/clock.js';
import type { DocumentStore } from './stores/document-store.js';
import type { StateStore } from './stores/state-store.js';
import type { WeComApi } from './wecom/api.js';

/** Everything the app talks to; server.ts builds the real ones, tests pass their own. */
export interface AppDeps {
  state: StateStore;
  docs: DocumentStore;
  api: WeComApi;
  org: Org;
  logger: Logger;
  /** Seals personal data at rest (cases, conversation state). */
  vault: Vault;
  texts?: Texts;
  clock?: Clock;
  /** Policy profiles and working-day calendar; the shipped ones under config/ by default. */
  profiles?: readonly PolicyProfile[];
  calendar?: WorkCalendar;
  /** Case numbers (tests pass a deterministic source). */
  caseNumbers?: CaseNumberSource;
  flowsDir?: string;
  /** Replaces the default turn handler (tests). */
  handler?: ChatHandler;
  /** Runs outbox deliveries: BullMQ on Redis in production; in-process when not given. */
  queue?: DeliveryQueue & { idle?(): Promise<void> };
  /** Extra routes mounted last (the local-mode simulator). */
  extraRoutes?: (app: FastifyInstance) => Promise<void>;
  /** Runs the daily tick (checks, then reminders; see `BuiltApp.dailyTick`): a BullMQ job scheduler on Redis in production; in-process when not given. */
  reminderScheduler?: ReminderScheduler;
  /** Runs once the checks room is built, before the daily tick first runs (local mode's demo register: the tick sees all of it). */
  beforeTick?: (checks: ChecksRoom) => Promise<void>;
  /** Replaces the deadline sources of monthly checks and campaigns (by default the checks room's, see reminders/reminder-sources.ts). */
  deadlineSources?: { checks?: DeadlineSource; campaigns?: DeadlineSource };
}

export interface BuiltApp {
  app: FastifyInstance;
  background: BackgroundWork;
  kfPuller: KfPuller;
  kfSessions: KfSessions;
  messenger: Messenger;
  outbox: DurableOutbox;
  outboxStore: OutboxStore;
  /** The checks room: what the scheduler calls (monthlyCheckStart, monthlyCheckReport, closeDueCampaigns). */
  checks: ChecksRoom;
  /** Deadline reminders: the daily tick, the preview, the check before a digest goes out. */
  reminders: ReminderService;
  /** What the scheduler runs at each tick (the reminders first); day-bound work of other capabilities joins with `add`. */
  dailyJobs: DailyJobs;
  /**
   * Local mode's clock was moved forward (快进): the daily jobs run once for the new date, and the in-process
   * scheduler sets its next run from there. Nothing when the scheduler is off (REMINDERS_ENABLED=false).
   */
  clockMoved(): Promise<void>;
  /**
   * The daily tick the scheduler runs (hourly at the digest minute, Asia/Shanghai): the checks' day (campaigns
   * closed, the month's cards, the report day's summaries), then the reminders' digests. Each part runs once a
   * day and sends nothing twice, however often this is called; tests and the simulator's 快进 call it too.
   */
  dailyTick(): Promise<void>;
  /** Resolves when background work is done and the outbox has nothing due (tests). */
  settled(): Promise<void>;
}

export async function buildApp(config: Readonly<Config>, deps: AppDeps): Promise<BuiltApp> {
  const clock = deps.clock ?? systemClock;
  const texts = deps.texts ?? createTexts();
  const app: FastifyInstance = Fastify({
    loggerInstance: deps.logger as FastifyBaseLogger,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[\w-]{1,64}$/.test(given) ? given : randomUUID();
    },
    requestIdHeader: false,
    bodyLimit: config.callback.bodyLimitBytes,
    // WeCom gives a callback 5 seconds; a slow client must not hold a connection much longer.
    requestTimeout: 10_000,
  });
  registerErrorHandler(app);

  const background = new BackgroundWork(deps.logger);
  const kfSessions = new KfSessions(deps.state, () => clock.now().getTime());
  // One setting for both: the claim on a callback id outlives the replay window the route accepts.
  const dedupe = new Deduplicator(deps.state, { callbackMaxAgeSeconds: config.callback.maxAgeSeconds });
  const messenger = new Messenger({ api: deps.api, kfSessions, logger: deps.logger });
  const outboxStore = new OutboxStore(deps.docs, deps.vault);
  await outboxStore.init();
  const profiles = deps.profiles ?? loadProfiles();
  const calendar = deps.calendar ?? loadWorkCalendar();
  const caseRepo = new CaseRepository(deps.docs, deps.vault);
  const caseAudit = new CaseAudit({ repo: caseRepo, audit: new AuditLog(deps.docs, deps.vault.auditKey) });
  // A household message goes on 微信客服 while its window is open, else through the case's monitoring contacts.
  const routes = new HouseholdRoutes({ sessions: kfSessions, caseOf: householdCaseLookup({ repo: caseRepo, caseAudit, org: deps.org }), relayText: relayText(texts) });
  const queue = deps.queue ?? new LocalDeliveryQueue({ logger: deps.logger, now: () => clock.now() });
  const outbox: DurableOutbox = new DurableOutbox({
    store: outboxStore,
    queue,
    worker: new OutboxWorker({
      store: outboxStore,
      messenger,
      state: deps.state,
      clock,
      logger: deps.logger,
      retryBaseMs: config.outbox.retryBaseMs,
      rateLimitWaitMs: config.outbox.rateLimitWaitMs,
      routes,
      // Bound below: the reminders record through this outbox, and its worker asks them before a digest goes out.
      guard: (record, delivery): Promise<GuardVerdict> => reminders.guard(record, delivery),
    }),
    clock,
    logger: deps.logger,
    routes,
  });
  const acks = new ReminderAcks(deps.docs);
  // Checks: the room is built with the conversation (below); reminders plan from its report days and campaign ends once it is there.
  const checksRef: { room?: ChecksRoom } = {};
  const reminders: ReminderService = new ReminderService({
    sources: deadlineSources({
      cases: new CaseDeadlines({ repo: caseRepo, org: deps.org, profiles, householdTold: async (r) => (await outboxStore.householdRoute(r._id))?.route !== 'none', logger: deps.logger }),
      ...lateCheckDeadlines(() => checksRef.room),
      ...deps.deadlineSources,
    }),
    outbox,
    acks,
    view: new DigestView({ texts, staff: new StaffTexts(texts), org: deps.org }),
    org: deps.org,
    calendar,
    settings: config.reminders,
    state: deps.state,
    clock,
    logger: deps.logger,
  });
  const rateLimit = new SenderRateLimit(deps.state, config.senderMessagesPerMinute, () => clock.now().getTime());
  const conversation = await buildConversation({
    ...deps,
    profiles,
    calendar,
    texts,
    clock,
    conversation: config.conversation,
    outbox,
    sentCards: outboxStore,
    householdRoute: (caseId) => outboxStore.householdRoute(caseId),
    heldFor: async (userId) => (await outboxStore.heldFor(userId)).flatMap((r) => (r.caseId ? [{ caseId: r.caseId, createdAt: r.createdAt }] : [])),
    reminders: new ReminderCards({ outboxStore, acks, reminders }),
  });
  const handler: ChatHandler = deps.handler ?? conversation.service;
  const { checks } = conversation;
  checksRef.room = checks;
  const checksDaily = new ChecksDaily({ work: checks, state: deps.state, clock, settings: config.reminders, logger: deps.logger });
  const kfPuller = new KfPuller({
    api: deps.api,
    docs: deps.docs,
    state: deps.state,
    dedupe,
    sessions: kfSessions,
    handler,
    outbox,
    rateLimit,
    texts,
    alertRecipients: () => deps.org.staffServing(deps.org.file.county.code, 'admin').map((m) => m.userId),
    logger: deps.logger,
    clock,
    startedAt: clock.now(),
  });
  const service = new CallbackService({
    dedupe,
    handler,
    outbox,
    kfPuller,
    background,
    rateLimit,
    texts,
    clock,
    logger: deps.logger,
    replyBudgetMs: config.callback.replyBudgetMs,
  });

  await app.register(healthRoutes, {
    probes: [
      { name: 'stateStore', check: () => deps.state.ping() },
      { name: 'documentStore', check: () => deps.docs.ping() },
    ],
    // Asked each time: the year may turn while the service runs (and with it the county's profile).
    warnings: () => {
      const today = shanghaiDate(clock.now());
      const countyProfile = profileChooser(profiles, deps.org.file.policyProfile)(deps.org.file.county.code, today);
      return [...profileWarnings(profiles, today).map((w) => w.message), ...staffingGaps(deps.org, countyProfile).map((g) => g.message)];
    },
  });
  await app.register(callbackRoutes, {
    crypto: { token: config.wecom.token, encodingAesKey: config.wecom.encodingAesKey, corpId: config.wecom.corpId },
    service,
    clock,
    maxAgeSeconds: config.callback.maxAgeSeconds,
    bodyLimitBytes: config.callback.bodyLimitBytes,
  });
  await app.register(adminPlugin, {
    adminToken: config.adminToken,
    org: deps.org,
    routes: [
      outboxRoutes({ store: outboxStore, org: deps.org }),
      casesRoutes({ repo: caseRepo, org: deps.org, clock }),
      registersRoutes({ checks, org: deps.org, clock }),
      campaignsRoutes({ checks, org: deps.org, clock }),
      remindersRoutes({ reminders, org: deps.org }),
    ],
  });
  if (deps.extraRoutes) await app.register(deps.extraRoutes);

  const scheduler = config.reminders.enabled
    ? (deps.reminderScheduler ?? new LocalReminderScheduler({ schedule: hourlyAt(config.reminders.digestAt), logger: deps.logger, now: () => clock.now() }))
    : undefined;
  const dailyJobs = new DailyJobs(deps.logger);
  // Checks first (a campaign closed today leaves today's digests), then reminders, even when the checks failed.
  dailyJobs.add('checks', async () => void (await checksDaily.run()));
  dailyJobs.add('reminders', async () => void (await reminders.tick()));
  const dailyTick = (): Promise<void> => dailyJobs.runAll();
  // In-flight requests finish first (Fastify's close), then the work they started, then deliveries under way.
  app.addHook('onClose', async () => {
    await scheduler?.close();
    await background.drain();
    await outbox.close();
  });
  await outbox.start();
  await deps.beforeTick?.(checks);
  if (scheduler) {
    await scheduler.start(dailyTick);
    // A day whose digest time passed while no instance ran is planned now (its messages have fixed ids: never twice).
    background.run('daily tick catch-up', dailyTick);
  }
  const clockMoved = async (): Promise<void> => {
    if (!scheduler) return;
    if (scheduler instanceof LocalReminderScheduler) await scheduler.clockMoved();
    else await dailyJobs.runAll();
  };
  // Tests wait on this: background work done, and no message due now is still waiting or being sent.
  const settled = async () => {
    for (let round = 0; round < 500; round++) {
      await background.drain();
      await queue.idle?.();
      const now = clock.now().toISOString();
      const waiting = [...(await outboxStore.find({ status: 'pending' })), ...(await outboxStore.find({ status: 'sending' }))].filter(
        (r) => r.status === 'sending' || (r.notBefore <= now && (!r.retryAt || r.retryAt <= now)),
      );
      if (background.size === 0 && waiting.length === 0) return;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };
  return { app, background, kfPuller, kfSessions, messenger, outbox, outboxStore, checks, reminders, dailyJobs, dailyTick, clockMoved, settled };
}

