import { z } from 'zod';
import { PROFILE_NAME } from './policy/profile-select.js';
import type { ReminderSettings } from './reminders/reminder-settings.js';

const days = (list: string) => list.split(',').map((d) => Number(d.trim()));

/** Built-in credentials for local mode: they only ever talk to the built-in WeCom stand-in. */
export const SIMULATOR_CREDENTIALS = {
  corpId: 'wwlocalsimulator01',
  agentId: 1000002,
  secret: 'local-simulator-secret',
  token: 'LocalSimToken',
  encodingAesKey: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C',
} as const;

const WECOM_VARS = ['WECOM_CORP_ID', 'WECOM_AGENT_ID', 'WECOM_SECRET', 'WECOM_TOKEN', 'WECOM_ENCODING_AES_KEY'] as const;
/** Variables whose values must never appear in an error message. */
const SECRET_VARS = new Set(['WECOM_SECRET', 'WECOM_TOKEN', 'WECOM_ENCODING_AES_KEY', 'ADMIN_TOKEN', 'MONGODB_URL', 'REDIS_URL', 'DATA_KEY']);

const optionalString = z.preprocess((v) => (v === '' ? undefined : v), z.string().optional());
const url = (protocols: string[]) =>
  z.preprocess(
    (v) => (v === '' ? undefined : v),
    z
      .string()
      .refine((s) => URL.canParse(s) && protocols.includes(new URL(s).protocol), {
        message: `must be a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}`,
      })
      .optional(),
  );

/** A time of day written HH:MM (24 h). */
const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time like 08:30');
/** Whole numbers of days, comma-separated, each used once. */
const dayList = (example: string) =>
  z
    .string()
    .regex(/^\s*\d{1,3}(\s*,\s*\d{1,3})*\s*$/, `must be whole numbers of days separated by commas, e.g. ${example}`)
    .refine((v) => new Set(v.split(',').map((d) => Number(d))).size === v.split(',').length, 'lists a day twice');

const envSchema = z.object({
  /** TCP port of the HTTP server. */
  PORT: z.coerce.number({ error: 'must be a port number (0–65535)' }).int().min(0).max(65535).default(3000),
  /** Interface to listen on. */
  HOST: z.string().min(1).default('127.0.0.1'),
  /** 企业ID (CorpID) of the WeCom tenant; also the receiveId every callback must carry. */
  WECOM_CORP_ID: optionalString.pipe(z.string().regex(/^[A-Za-z0-9]{6,64}$/, 'must be the CorpID shown in 我的企业 (letters and digits)').optional()),
  /** AgentId of the self-built app (自建应用). */
  WECOM_AGENT_ID: z.preprocess((v) => (v === '' ? undefined : v), z.coerce.number().int().positive('must be the numeric AgentId of the app').optional()),
  /** Secret of the self-built app. */
  WECOM_SECRET: optionalString.pipe(z.string().min(8, 'is too short to be an app Secret').optional()),
  /** Token from the app's 接收消息 settings (signs callbacks). */
  WECOM_TOKEN: optionalString.pipe(z.string().regex(/^[A-Za-z0-9]{3,32}$/, 'must be 3–32 letters or digits, as WeCom generates it').optional()),
  /** EncodingAESKey from the app's 接收消息 settings. */
  WECOM_ENCODING_AES_KEY: optionalString.pipe(z.string().regex(/^[A-Za-z0-9]{43}$/, 'must be exactly 43 letters or digits').optional()),
  /** Origin of the WeCom API; `/cgi-bin/...` is appended. */
  WECOM_API_BASE: url(['https:', 'http:']).pipe(z.string().default('https://qyapi.weixin.qq.com')),
  /** Redis for conversation state, dedupe, locks and the token cache; in-process when unset. */
  REDIS_URL: url(['redis:', 'rediss:']),
  /** Prepended to every Redis key (state and queues), so two deployments can share one Redis server. */
  REDIS_KEY_PREFIX: z.string().regex(/^[A-Za-z0-9_.:-]{1,40}$/, 'must be 1–40 letters, digits or _ . : -').default('fpfp:'),
  /** MongoDB for cases and durable records; embedded file store under DATA_DIR when unset. */
  MONGODB_URL: url(['mongodb:', 'mongodb+srv:']),
  /** Where the embedded document store keeps its files. */
  DATA_DIR: z.string().min(1).default('./data'),
  /** 32 random bytes, base64: encrypts ID numbers, phone numbers and health details at rest. Local mode keeps one in DATA_DIR. */
  DATA_KEY: optionalString.pipe(
    z
      .string()
      .refine((s) => /^[A-Za-z0-9+/_-]{43}=?$/.test(s.trim()), 'must be 32 random bytes, base64-encoded (openssl rand -base64 32)')
      .optional(),
  ),
  /** A conversation left this long is resumed with a reminder of where it was. */
  CONVERSATION_RESUME_MINUTES: z.coerce.number().int().min(1).max(7 * 24 * 60).default(30),
  /** A conversation left this long ends, with a polite message when the person comes back. */
  CONVERSATION_EXPIRE_HOURS: z.coerce.number().int().min(1).max(30 * 24).default(72),
  /** Bearer token for /admin and the simulator's operator views. */
  ADMIN_TOKEN: optionalString.pipe(z.string().min(16, 'must be at least 16 characters').optional()),
  /** YAML file with the area tree and staff roster; the demo org is used when unset. */
  ORG_FILE: optionalString,
  /** Policy profile for new cases, `id` or `id@version` (config/profiles); by the county's area code when unset. Wins over the org file's `policyProfile`. */
  POLICY_PROFILE: optionalString.pipe(z.string().regex(PROFILE_NAME, 'must be a profile id like hunan-2022, or id@version like hunan-2022@1').optional()),
  /** Callbacks whose timestamp is further than this from our clock are refused (replay guard); callback ids stay claimed for twice this, plus a margin. */
  CALLBACK_MAX_AGE_SECONDS: z.coerce.number().int().min(30).max(86_400).default(600),
  /** How long a callback waits for its answer before acknowledging empty and sending actively. */
  CALLBACK_REPLY_BUDGET_MS: z.coerce.number().int().min(50).max(4000).default(1500),
  /** Largest accepted callback body. */
  CALLBACK_BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).max(1_048_576).default(65_536),
  /** Messages one sender may send per minute; beyond it they are told once to slow down and the rest are not handled. */
  SENDER_MESSAGES_PER_MINUTE: z.coerce.number().int().min(1).max(1000).default(20),
  /** First wait before an outbox message WeCom refused is tried again (doubles each time, capped at 5 min). */
  OUTBOX_RETRY_BASE_MS: z.coerce.number().int().min(10).max(60_000).default(2_000),
  /** Wait after WeCom answers a frequency limit (45009/45011) before sending again; WeCom blocks for a minute. */
  OUTBOX_RATE_LIMIT_WAIT_MS: z.coerce.number().int().min(50).max(600_000).default(60_000),
  /** false: no reminder digest goes out by itself (the preview and the buttons still work). */
  REMINDERS_ENABLED: z.enum(['true', 'false'], { error: 'must be true or false' }).default('true'),
  /** When, before a deadline, its owners are reminded: days, in the deadline's own unit (0 = on the day); daily while overdue. */
  REMINDER_DAYS_BEFORE: dayList('3,1,0').default('3,1,0'),
  /** Days overdue (in the deadline's unit) after which it climbs one more rung: monitoring contact → village secretary → township → county. */
  REMINDER_ESCALATE_AFTER_DAYS: dayList('2,5,10').default('2,5,10'),
  /** Time of the daily digest, Asia/Shanghai. */
  REMINDER_DIGEST_AT: clockTime.default('08:30'),
  /** Hours no reminder goes out (deferred to their end), Asia/Shanghai, `from-to`; `off` for none. */
  REMINDER_QUIET_HOURS: z
    .string()
    .regex(/^(off|([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d)$/, 'must be off or two times like 21:00-08:00')
    .refine((v) => v === 'off' || v.slice(0, 5) !== v.slice(6), 'must be off, or a start and an end that differ')
    .default('21:00-08:00'),
  /** pino log level. */
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export interface WeComCredentials {
  corpId: string;
  agentId: number;
  secret: string;
  token: string;
  encodingAesKey: string;
}

export interface Config {
  port: number;
  host: string;
  /** True when no WeCom account is configured: built-in credentials and the built-in WeCom stand-in. */
  localMode: boolean;
  wecom: WeComCredentials & { apiBase: string };
  redisUrl?: string;
  redisKeyPrefix: string;
  mongodbUrl?: string;
  dataDir: string;
  adminToken?: string;
  orgFile?: string;
  /** The policy profile named for new cases (`id` or `id@version`); undefined: the org file's, else by area code. */
  policyProfile?: string;
  callback: { maxAgeSeconds: number; replyBudgetMs: number; bodyLimitBytes: number };
  /** Per-sender flood limit (messages per minute). */
  senderMessagesPerMinute: number;
  outbox: { retryBaseMs: number; rateLimitWaitMs: number };
  /** Deadline reminders (src/reminders): schedule, escalation, digest time, quiet hours. */
  reminders: ReminderSettings;
  /** Base64 data key; undefined only in local mode (a key file under dataDir is used). */
  dataKey?: string;
  conversation: { resumeAfterMs: number; expireAfterMs: number };
  logLevel: z.infer<typeof envSchema>['LOG_LEVEL'];
}

export class ConfigError extends Error {
  readonly code = 'CONFIG.INVALID';
}

/**
 * Reads a `.env` file (KEY=value lines, # comments) into `process.env`, as copied from .env.example.
 * Variables already set in the environment win; a missing file is fine. Returns the path when it was read.
 */
export function loadEnvFile(path: string): string | undefined {
  try {
    process.loadEnvFile(path);
    return path;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new ConfigError(`Invalid configuration:\n  ${path}: cannot be read (${(err as Error).message})`);
  }
}

/** Parses the environment once at boot. Throws ConfigError naming each bad variable, never its value. */
export function loadConfig(env: Record<string, string | undefined>): Readonly<Config> {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => {
      const name = String(issue.path[0] ?? '?');
      const reason = SECRET_VARS.has(name) ? issue.message.replace(/received .*/i, 'invalid value') : issue.message;
      return `  ${name}: ${reason}`;
    });
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const given = WECOM_VARS.filter((name) => e[name] !== undefined);
  if (given.length > 0 && given.length < WECOM_VARS.length) {
    const missing = WECOM_VARS.filter((name) => e[name] === undefined);
    throw new ConfigError(`Invalid configuration:\n${missing.map((n) => `  ${n}: is required when any WECOM_* credential is set`).join('\n')}`);
  }
  const localMode = given.length === 0;
  if (!localMode && !e.ADMIN_TOKEN) {
    throw new ConfigError('Invalid configuration:\n  ADMIN_TOKEN: is required when a WeCom app is configured');
  }
  if (!localMode && !e.DATA_KEY) {
    throw new ConfigError('Invalid configuration:\n  DATA_KEY: is required when a WeCom app is configured (openssl rand -base64 32)');
  }
  if (e.CONVERSATION_RESUME_MINUTES * 60 >= e.CONVERSATION_EXPIRE_HOURS * 3600) {
    throw new ConfigError('Invalid configuration:\n  CONVERSATION_RESUME_MINUTES: must be shorter than CONVERSATION_EXPIRE_HOURS');
  }
  const wecom: WeComCredentials = localMode
    ? { ...SIMULATOR_CREDENTIALS }
    : {
        corpId: e.WECOM_CORP_ID!,
        agentId: e.WECOM_AGENT_ID!,
        secret: e.WECOM_SECRET!,
        token: e.WECOM_TOKEN!,
        encodingAesKey: e.WECOM_ENCODING_AES_KEY!,
      };
  return Object.freeze({
    port: e.PORT,
    host: e.HOST,
    localMode,
    // In local mode the API base is filled in by the server once it knows its own address.
    wecom: { ...wecom, apiBase: e.WECOM_API_BASE.replace(/\/+$/, '') },
    redisUrl: e.REDIS_URL,
    redisKeyPrefix: e.REDIS_KEY_PREFIX,
    mongodbUrl: e.MONGODB_URL,
    dataDir: e.DATA_DIR,
    adminToken: e.ADMIN_TOKEN,
    orgFile: e.ORG_FILE,
    policyProfile: e.POLICY_PROFILE,
    callback: {
      maxAgeSeconds: e.CALLBACK_MAX_AGE_SECONDS,
      replyBudgetMs: e.CALLBACK_REPLY_BUDGET_MS,
      bodyLimitBytes: e.CALLBACK_BODY_LIMIT_BYTES,
    },
    senderMessagesPerMinute: e.SENDER_MESSAGES_PER_MINUTE,
    outbox: { retryBaseMs: e.OUTBOX_RETRY_BASE_MS, rateLimitWaitMs: e.OUTBOX_RATE_LIMIT_WAIT_MS },
    reminders: {
      enabled: e.REMINDERS_ENABLED === 'true',
      daysBefore: days(e.REMINDER_DAYS_BEFORE).sort((a, b) => b - a),
      escalateAfterDays: days(e.REMINDER_ESCALATE_AFTER_DAYS).sort((a, b) => a - b),
      digestAt: e.REMINDER_DIGEST_AT,
      quietHours: e.REMINDER_QUIET_HOURS === 'off' ? null : { from: e.REMINDER_QUIET_HOURS.slice(0, 5), to: e.REMINDER_QUIET_HOURS.slice(6) },
    },
    dataKey: e.DATA_KEY,
    conversation: { resumeAfterMs: e.CONVERSATION_RESUME_MINUTES * 60_000, expireAfterMs: e.CONVERSATION_EXPIRE_HOURS * 3_600_000 },
    logLevel: e.LOG_LEVEL,
  });
}
