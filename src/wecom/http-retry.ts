import { isAxiosError } from 'axios';
import type { Logger } from 'pino';
import { BUSY_ERRCODE, WeComNetworkError, weComErrorFor } from './errors.js';

/** Retry policy shared by gettoken and the business calls. `attempts` counts every try, the first included. */
export interface RetryPolicy {
  attempts: number;
  baseDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 3, baseDelayMs: 200 };

export type Sleep = (ms: number) => Promise<void>;

export const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Exponential backoff with full jitter on top: base·2^(n−1) + random(0..base). `failures` starts at 1. */
export function backoffDelay(failures: number, baseDelayMs: number): number {
  return baseDelayMs * 2 ** (failures - 1) + Math.floor(Math.random() * baseDelayMs);
}

/**
 * A short, log-safe description of a transport failure. Never returns the axios message or config:
 * those contain the request URL (access_token / corpsecret).
 */
export function transportReason(err: unknown): string {
  if (isAxiosError(err)) {
    if (err.code === 'ECONNABORTED' || err.code === 'ETIMEDOUT') return 'timeout';
    return err.code ?? 'network error';
  }
  if (err instanceof Error && 'code' in err && typeof err.code === 'string') return err.code;
  return 'network error';
}

/**
 * After the `failures`-th transient failure of `api`: throws once the attempts are used up (or when
 * `giveUp`, e.g. a retry could act twice), otherwise waits the backoff before the next try.
 */
export async function backOffOrThrow(
  api: string,
  reason: string,
  failures: number,
  ctx: { retry: RetryPolicy; sleep: Sleep; log: Logger },
  giveUp = false,
): Promise<void> {
  if (giveUp || failures >= ctx.retry.attempts) {
    ctx.log.error({ api, reason, attempts: failures }, 'wecom call failed');
    if (reason === 'errcode -1') throw weComErrorFor(api, BUSY_ERRCODE, 'system busy');
    throw new WeComNetworkError(api, reason, failures);
  }
  const delayMs = backoffDelay(failures, ctx.retry.baseDelayMs);
  ctx.log.warn({ api, reason, attempt: failures, delayMs }, 'retrying wecom call');
  await ctx.sleep(delayMs);
}
