import { isAxiosError } from 'axios';

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
