import type { Logger } from 'pino';
import { errorSummary } from '../shared/background-work.js';

/**
 * A job the scheduler runs at each of its times (hourly, at the digest's minute), and once more right after
 * local mode's clock is moved (快进). It reads the date from the service's clock and must be idempotent per
 * day: it runs many times a day, on every instance, and again after a restart. The reminders are one; the
 * monthly check start and report and closing due campaigns join the same list.
 * @example { name: 'reminders', run: async () => void (await reminders.tick()) }
 */
export interface DailyJob {
  name: string;
  run(): Promise<void>;
}

/**
 * The jobs run on each scheduler tick, in the order they were added. One that fails is logged and does not
 * keep the others from running; the next tick tries it again.
 */
export class DailyJobs {
  private readonly jobs: DailyJob[] = [];
  private running: Promise<void> | undefined;

  constructor(private readonly logger: Logger) {}

  /** Adds a job to every tick from now on. */
  add(name: string, run: () => Promise<void>): void {
    if (this.jobs.some((j) => j.name === name)) throw new Error(`daily job ${name} is already there`);
    this.jobs.push({ name, run });
  }

  get names(): string[] {
    return this.jobs.map((j) => j.name);
  }

  /** Runs every job once; a run asked for while one is under way waits for it, so two never overlap in a process. */
  async runAll(): Promise<void> {
    const previous = this.running;
    const run = (async () => {
      await previous;
      for (const job of this.jobs) {
        try {
          await job.run();
        } catch (err) {
          this.logger.error({ job: job.name, err: errorSummary(err) }, 'daily job failed; the next tick tries again');
        }
      }
    })();
    this.running = run;
    try {
      await run;
    } finally {
      if (this.running === run) this.running = undefined;
    }
  }
}
