import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { AdjustableClock } from '../shared/clock.js';

/** Where local mode keeps how far its clock was moved ahead, beside the cases that were moved with it. */
export const SIMULATED_CLOCK_FILE = 'simulated-clock.json';

/**
 * What the file holds: the offset from real time in ms.
 * @example { "offsetMs": 518400000 }
 */
const fileSchema = z.strictObject({ offsetMs: z.number().int().min(0) });

/**
 * Local mode's clock: real time plus what the simulator's 快进 added, kept in DATA_DIR so a restart never
 * moves time back under cases stored on a later simulated date. Deleting the file (or DATA_DIR) returns
 * to real time.
 */
export function localSimulatedClock(dataDir: string): AdjustableClock {
  const path = join(dataDir, SIMULATED_CLOCK_FILE);
  const clock = new AdjustableClock(readOffset(path));
  clock.onAdvance(() => {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(path, `${JSON.stringify({ offsetMs: clock.offsetMs })}\n`);
  });
  return clock;
}

function readOffset(path: string): number {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw err;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    value = undefined;
  }
  const parsed = fileSchema.safeParse(value);
  if (!parsed.success) throw new Error(`${path} does not hold a simulated clock ({ "offsetMs": … }); delete it to return to real time`);
  return parsed.data.offsetMs;
}
