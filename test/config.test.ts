import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, SIMULATOR_CREDENTIALS } from '../src/config.js';

const REAL = {
  WECOM_CORP_ID: 'ww1436e0e65a779aee',
  WECOM_AGENT_ID: '1000002',
  WECOM_SECRET: 'a-very-secret-app-secret',
  WECOM_TOKEN: 'hJqcu3uJ9Tn2gXPmxx2w9kkCkCE2EPYo',
  WECOM_ENCODING_AES_KEY: '6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhUt',
  ADMIN_TOKEN: 'admin-token-0123456789',
  DATA_KEY: 'q83vEjRWeJq83vEjRWeJq83vEjRWeJq83vEjRWeJq80=',
};

function failure(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('expected the configuration to be refused');
}

describe('configuration', () => {
  it('runs in local mode with built-in simulator credentials when no WeCom variable is set', () => {
    const config = loadConfig({});
    expect(config.localMode).toBe(true);
    expect(config.wecom).toMatchObject(SIMULATOR_CREDENTIALS);
    expect(config).toMatchObject({ port: 3000, dataDir: './data', redisUrl: undefined, mongodbUrl: undefined });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('uses a real WeCom app when all its variables are set', () => {
    const config = loadConfig({ ...REAL, WECOM_API_BASE: 'http://127.0.0.1:9999/', REDIS_URL: 'redis://127.0.0.1:6379' });
    expect(config.localMode).toBe(false);
    expect(config.wecom).toMatchObject({ corpId: REAL.WECOM_CORP_ID, agentId: 1000002, apiBase: 'http://127.0.0.1:9999' });
    expect(config.redisUrl).toBe('redis://127.0.0.1:6379');
  });

  it('takes POLICY_PROFILE as id or id@version, refuses anything else by name', () => {
    expect(loadConfig({}).policyProfile).toBeUndefined();
    expect(loadConfig({ POLICY_PROFILE: '' }).policyProfile).toBeUndefined();
    expect(loadConfig({ POLICY_PROFILE: 'national-2022' }).policyProfile).toBe('national-2022');
    expect(loadConfig({ POLICY_PROFILE: 'hunan-2022@1' }).policyProfile).toBe('hunan-2022@1');
    for (const bad of ['Hunan 2022', 'hunan-2022@0', 'hunan-2022@v1', '../etc']) expect(failure({ POLICY_PROFILE: bad })).toMatch(/POLICY_PROFILE: must be a profile id like hunan-2022/);
  });

  it('names each bad variable and what is wrong with it', () => {
    const message = failure({ PORT: 'abc', REDIS_URL: 'http://localhost', CALLBACK_REPLY_BUDGET_MS: '9000' });
    expect(message).toContain('PORT: must be a port number');
    expect(message).toContain('REDIS_URL: must be a URL starting with redis:// or rediss://');
    expect(message).toContain('CALLBACK_REPLY_BUDGET_MS');
  });

  it('asks for the missing WeCom variables when only some are set', () => {
    const message = failure({ WECOM_CORP_ID: REAL.WECOM_CORP_ID, WECOM_SECRET: REAL.WECOM_SECRET });
    expect(message).toContain('WECOM_AGENT_ID: is required');
    expect(message).toContain('WECOM_TOKEN: is required');
    expect(message).toContain('WECOM_ENCODING_AES_KEY: is required');
  });

  it('requires an admin token once a real app is configured', () => {
    const { ADMIN_TOKEN: _, ...noAdmin } = REAL;
    expect(failure(noAdmin)).toContain('ADMIN_TOKEN: is required');
  });

  it('requires a data key for personal data once a real app is configured, and never echoes a bad one', () => {
    const { DATA_KEY: _, ...noKey } = REAL;
    expect(failure(noKey)).toContain('DATA_KEY: is required');
    const message = failure({ ...REAL, DATA_KEY: 'short-secret-key' });
    expect(message).toContain('DATA_KEY: must be 32 random bytes');
    expect(message).not.toContain('short-secret-key');
  });

  it('refuses a resume pause that is not shorter than the expiry', () => {
    expect(failure({ CONVERSATION_RESUME_MINUTES: '180', CONVERSATION_EXPIRE_HOURS: '2' })).toContain('CONVERSATION_RESUME_MINUTES');
  });

  it('never echoes a secret in its messages', () => {
    const badKey = 'THIS-IS-THE-SECRET-KEY';
    const badSecret = 'Zq7x';
    const message = failure({ ...REAL, WECOM_ENCODING_AES_KEY: badKey, WECOM_SECRET: badSecret, ADMIN_TOKEN: 'tiny', MONGODB_URL: 'postgres://user:pw@db' });
    expect(message).toContain('WECOM_ENCODING_AES_KEY: must be exactly 43 letters or digits');
    expect(message).toContain('ADMIN_TOKEN');
    expect(message).toContain('MONGODB_URL');
    for (const secret of [badKey, badSecret, 'tiny', 'user:pw']) expect(message).not.toContain(secret);
  });
});
