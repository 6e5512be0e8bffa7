import { randomBytes } from 'node:crypto';
import { join, relative } from 'node:path';
import { buildApp } from './app.js';
import { ConfigError, loadConfig, loadEnvFile, type Config } from './config.js';
import { DEMO_ORG_FILE, loadOrgFile } from './org/org-file.js';
import { PROJECT_ROOT } from './shared/paths.js';
import { Org } from './org/org.js';
import { loadProfiles, profileChooser, profileKey, ProfileChoiceError, profileWarnings, shanghaiDate, type PolicyProfile } from './policy/index.js';
import { localDataKey } from './privacy/local-data-key.js';
import { staffingGaps } from './procedure/staffing-gaps.js';
import { seedDemoRegister } from './simulator/demo-register.js';
import { createVault, parseDataKey } from './privacy/vault.js';
import { DAY_MS, systemClock, type AdjustableClock, type Clock } from './shared/clock.js';
import { createLogger } from './shared/logger.js';
import { FakeWeComState, startFakeWeComApi } from './simulator/fake-wecom-api.js';
import { localSimulatedClock, SIMULATED_CLOCK_FILE } from './simulator/simulated-time.js';
import { simulatorRoutes } from './simulator/simulator.route.js';
import { createDocumentStore, createStateStore } from './stores/index.js';
import { WeComHttpApi } from './wecom/api-client.js';
import { BullDeliveryQueue } from './outbox/delivery-queue.bullmq.js';
import { BullReminderScheduler } from './reminders/reminder-scheduler.bullmq.js';
import { hourlyAt } from './reminders/reminder-scheduler.js';
import { LocalDeliveryQueue } from './outbox/delivery-queue.local.js';

/** Read from the working directory at startup (`npm start` runs in the project folder); variables already set win. */
const ENV_FILE = '.env';

/** The WeCom stand-in's state, on the process's simulated clock (tokens, the kf history's 3 days). */
function fakeWeComOn(clock: Clock, wecom: { corpId: string; secret: string }): FakeWeComState {
  const state = new FakeWeComState({ corpId: wecom.corpId, secret: wecom.secret });
  state.now = () => clock.now().getTime();
  return state;
}

/** Boots the service: config, stores, WeCom client (or the local stand-in), HTTP, graceful shutdown. */
async function main(): Promise<void> {
  let config: Readonly<Config>;
  let envFile: string | undefined;
  try {
    envFile = loadEnvFile(ENV_FILE);
    config = loadConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
  const logger = createLogger(config.logLevel);
  const orgPath = config.orgFile ?? DEMO_ORG_FILE;
  const orgFile = loadOrgFile(orgPath);
  // POLICY_PROFILE wins over the org file's policyProfile; the conversation service reads it from the org.
  const org = config.policyProfile ? new Org({ ...orgFile.file, policyProfile: config.policyProfile }) : orgFile;
  const profiles = loadProfiles();
  // A year without an income line must not pass unnoticed: say which file and setting (also on /readyz).
  for (const w of profileWarnings(profiles, shanghaiDate(new Date()))) {
    logger.warn({ profile: w.profileKey, file: w.file, setting: w.setting }, w.message);
  }
  const policyChosenBy = config.policyProfile ? 'POLICY_PROFILE' : org.file.policyProfile ? 'orgFile' : 'automatic';
  let policy: PolicyProfile;
  try {
    policy = profileChooser(profiles, org.file.policyProfile)(org.file.county.code, shanghaiDate(new Date()));
  } catch (err) {
    if (!(err instanceof ProfileChoiceError)) throw err;
    console.error(`Invalid configuration:\n  ${policyChosenBy === 'POLICY_PROFILE' ? 'POLICY_PROFILE' : `policyProfile in ${config.orgFile}`}: ${err.message}`);
    process.exit(1);
  }
  // WeCom mode on the demo org: cases would go to demo UserIDs (wangcadre …) that are nobody in the real WeCom.
  if (!config.localMode && !config.orgFile) {
    logger.warn(
      { orgFile: orgPath },
      `ORG_FILE is not set: this WeCom deployment runs on the demo org (${org.file.county.name}, demo staff such as ${org.file.staff[0]?.userId ?? '—'}), ` +
        `so no case reaches a real person; write the county's area tree and staff roster (their WeCom UserIDs) in a YAML file like ${relative(PROJECT_ROOT, DEMO_ORG_FILE)} and set ORG_FILE`,
    );
  }
  // A role the procedure needs that nobody holds for an area: its steps go to a stand-in, or to no one (also on /readyz).
  for (const gap of staffingGaps(org, policy)) logger.warn({ area: gap.areaCode, role: gap.role }, gap.message);
  const policyHow = {
    automatic: `chosen automatically by the county's area code ${org.file.county.code}`,
    POLICY_PROFILE: 'named by POLICY_PROFILE',
    orgFile: `named by policyProfile in ${orgPath}`,
  }[policyChosenBy];
  const state = createStateStore({ redisUrl: config.redisUrl, keyPrefix: config.redisKeyPrefix });
  const docs = await createDocumentStore({ mongodbUrl: config.mongodbUrl, dataDir: config.dataDir });

  // Local mode runs on simulated time the simulator page can move forward (快进), shared by everything in
  // the process that reads time; WeCom mode runs on real time, which nothing can move.
  const simulated: AdjustableClock | undefined = config.localMode ? localSimulatedClock(config.dataDir) : undefined;
  const clock: Clock = simulated ?? systemClock;
  // Local mode: a real HTTP stand-in for WeCom on loopback, so the real client code runs end to end.
  const fake = simulated ? await startFakeWeComApi(fakeWeComOn(simulated, config.wecom)) : undefined;
  const api = new WeComHttpApi({
    baseUrl: fake?.baseUrl ?? config.wecom.apiBase,
    corpId: config.wecom.corpId,
    agentId: config.wecom.agentId,
    secret: config.wecom.secret,
    store: state.store,
    logger,
  });

  // With Redis, deliveries run on BullMQ and are shared by every instance; without it, in this process.
  const queue = config.redisUrl
    ? new BullDeliveryQueue({ url: config.redisUrl, prefix: `${config.redisKeyPrefix}bull`, logger, now: () => clock.now() })
    : new LocalDeliveryQueue({ logger, now: () => clock.now() });
  // After a 快进, deliveries waiting for a time that has now come go out at once.
  if (queue instanceof LocalDeliveryQueue) simulated?.onAdvance(() => queue.clockMoved());
  // The daily reminders: a BullMQ job scheduler every instance shares (one run each time), or in this process.
  const reminderScheduler = config.redisUrl
    ? new BullReminderScheduler({ url: config.redisUrl, prefix: `${config.redisKeyPrefix}bull`, schedule: hourlyAt(config.reminders.digestAt), logger })
    : undefined;
  // Local mode without ADMIN_TOKEN: a token for this run only, printed below, so the admin API can be tried.
  const adminToken = config.adminToken ?? (config.localMode ? `local-${randomBytes(12).toString('hex')}` : undefined);
  // The simulator's 快进 runs the day's jobs on the new date (bound once the app is built).
  let clockMoved = async (): Promise<void> => undefined;
  const { app, ...built } = await buildApp({ ...config, adminToken }, {
    queue,
    clock,
    ...(reminderScheduler ? { reminderScheduler } : {}),
    state: state.store,
    docs: docs.store,
    api,
    org,
    profiles,
    logger,
    vault: createVault(config.dataKey ? parseDataKey(config.dataKey) : localDataKey(config.dataDir)),
    // Local mode: a demo register of key-group households, so 排查 has a list to walk in /simulator (before the
    // first daily tick, so the month's cards count all of it).
    ...(config.localMode ? { beforeTick: async (checks) => void (await seedDemoRegister(checks, org, clock.now(), logger)) } : {}),
    ...(fake && simulated
      ? {
          extraRoutes: simulatorRoutes({
            fake: fake.state,
            crypto: { token: config.wecom.token, encodingAesKey: config.wecom.encodingAesKey, corpId: config.wecom.corpId },
            agentId: config.wecom.agentId,
            org,
            clock: simulated,
            clockMoved: () => clockMoved(),
          }),
        }
      : {}),
  });
  clockMoved = built.clockMoved;

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    logger.info({ signal }, 'shutting down: finishing in-flight work');
    const force = setTimeout(() => {
      logger.error('shutdown took too long; exiting');
      process.exit(1);
    }, 15_000);
    force.unref();
    try {
      await app.close();
      await fake?.close();
      await Promise.allSettled([state.store.close(), docs.store.close()]);
    } finally {
      clearTimeout(force);
      process.exit(0);
    }
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));

  const address = await app.listen({ port: config.port, host: config.host });
  // The one line an operator reads to know what this instance runs on.
  const startup = {
    address,
    mode: config.localMode ? 'local' : 'wecom',
    stateStore: state.kind,
    documentStore: docs.kind,
    deliveryQueue: queue instanceof BullDeliveryQueue ? 'bullmq' : 'in-process',
    reminders: config.reminders.enabled ? `daily at ${config.reminders.digestAt}${reminderScheduler ? ' (bullmq)' : ' (in-process)'}` : 'off',
    orgFile: config.orgFile ?? `${relative(PROJECT_ROOT, DEMO_ORG_FILE)} (demo)`,
    policyProfile: profileKey(policy),
    policyProfileChosenBy: policyChosenBy,
    envFile: envFile ?? null,
  } as const;
  logger.info(
    startup,
    `started in ${config.localMode ? 'local mode (built-in WeCom stand-in)' : 'WeCom mode'} at ${address}: ` +
      `state ${startup.stateStore}, documents ${startup.documentStore}, delivery queue ${startup.deliveryQueue}, reminders ${startup.reminders}, ` +
      `org ${startup.orgFile} (${org.file.county.name}, ${org.file.staff.length} staff), policy profile ${startup.policyProfile} (${policyHow}), ` +
      (envFile ? `settings from ${envFile} and the environment` : 'settings from the environment (no .env file)'),
  );
  if (config.localMode) {
    // One plain line for a newcomer (the structured logs follow it).
    console.error(
      `Local mode (no WeCom account, ${state.kind} state, ${docs.kind} documents in ${config.dataDir}): ` +
        `chat simulator: ${address}/simulator · health: ${address}/healthz · callback: ${address}/wecom/callback · ` +
        `admin API: ${address}/admin/docs${config.adminToken ? '' : ` (token for this run: ${adminToken})`}` +
        // Time moved forward in an earlier run stays moved: say so, and how to return to real time.
        (simulated && simulated.offsetMs > 0
          ? ` · simulated date ${shanghaiDate(simulated.now())}, ${Math.round(simulated.offsetMs / DAY_MS)} days ahead by 快进 (kept in ${join(config.dataDir, SIMULATED_CLOCK_FILE)}; a fresh DATA_DIR starts on real time)`
          : ''),
    );
  }
}

main().catch((err: unknown) => {
  console.error('startup failed:', err instanceof Error ? err.message : err);
  process.exit(1);
});
