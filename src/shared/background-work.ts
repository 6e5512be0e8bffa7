import type { Logger } from 'pino';

/**
 * Work that continues after an HTTP answer (active sends, 微信客服 pulls). Tracked so a graceful
 * shutdown can wait for it, and so a failure is logged instead of becoming an unhandled rejection.
 */
export class BackgroundWork {
  private readonly running = new Set<Promise<void>>();

  constructor(private readonly logger: Logger) {}

  run(name: string, task: () => Promise<void>): void {
    const p: Promise<void> = task()
      .catch((err: unknown) => this.logger.error({ task: name, err: errorSummary(err) }, 'background task failed'))
      .finally(() => this.running.delete(p));
    this.running.add(p);
  }

  get size(): number {
    return this.running.size;
  }

  /** Resolves when everything started so far (and anything it starts) has finished. */
  async drain(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }
}

/** Name and code of an error, never its payload (which may hold personal data). */
export function errorSummary(err: unknown): { type: string; code?: string | number; message?: string } {
  if (err instanceof Error) {
    const code = (err as { code?: string | number; errcode?: number }).code ?? (err as { errcode?: number }).errcode;
    return { type: err.name, ...(code !== undefined ? { code } : {}), message: err.message.slice(0, 200) };
  }
  return { type: typeof err };
}
