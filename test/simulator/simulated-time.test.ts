import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LocalDeliveryQueue } from '../../src/outbox/delivery-queue.local.js';
import { AdjustableClock, DAY_MS } from '../../src/shared/clock.js';
import { localSimulatedClock, SIMULATED_CLOCK_FILE } from '../../src/simulator/simulated-time.js';
import { captureLogs } from '../helpers/test-app.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
function dataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'fpfp-simtime-'));
  dirs.push(dir);
  return dir;
}

describe('AdjustableClock (local mode time)', () => {
  it('runs with real time, moved ahead by what was added, and tells its listeners', () => {
    let real = Date.parse('2026-12-01T02:00:00Z');
    const clock = new AdjustableClock(0, () => real);
    const heard: string[] = [];
    clock.onAdvance(() => heard.push(clock.now().toISOString()));

    clock.advance(6 * DAY_MS);
    real += 60_000;

    expect(clock.now().toISOString()).toBe('2026-12-07T02:01:00.000Z');
    expect(clock.offsetMs).toBe(6 * DAY_MS);
    expect(heard).toEqual(['2026-12-07T02:00:00.000Z']);
  });

  it('never moves back', () => {
    const clock = new AdjustableClock();
    for (const ms of [0, -DAY_MS, Number.NaN, Number.POSITIVE_INFINITY]) expect(() => clock.advance(ms)).toThrow(/only moves forward/);
    expect(clock.offsetMs).toBe(0);
  });
});

describe('localSimulatedClock (kept in DATA_DIR)', () => {
  it('starts on real time, and a restart keeps the days moved ahead', () => {
    const dir = dataDir();
    const first = localSimulatedClock(dir);
    expect(first.offsetMs).toBe(0);
    first.advance(2 * DAY_MS);
    first.advance(3 * DAY_MS);

    const restarted = localSimulatedClock(dir);

    expect(restarted.offsetMs).toBe(5 * DAY_MS);
    expect(JSON.parse(readFileSync(join(dir, SIMULATED_CLOCK_FILE), 'utf8'))).toEqual({ offsetMs: 5 * DAY_MS });
  });

  it('refuses to start on a file it cannot read, naming it and the way out', () => {
    const dir = dataDir();
    for (const text of ['not json', '{"offsetMs":-5}', '{"offset":5}']) {
      writeFileSync(join(dir, SIMULATED_CLOCK_FILE), text);
      expect(() => localSimulatedClock(dir)).toThrow(`${join(dir, SIMULATED_CLOCK_FILE)} does not hold a simulated clock`);
    }
  });
});

describe('LocalDeliveryQueue after a 快进', () => {
  it('runs a job waiting for a clock time that has now come at once; one still ahead keeps waiting', async () => {
    const clock = new AdjustableClock();
    const queue = new LocalDeliveryQueue({ logger: captureLogs().logger, now: () => clock.now() });
    const ran: string[] = [];
    queue.start(async (id) => (ran.push(id), { kind: 'done' }));
    clock.onAdvance(() => queue.clockMoved());
    const start = clock.now().getTime();
    await queue.add('tomorrow', new Date(start + DAY_MS));
    await queue.add('in-a-week', new Date(start + 7 * DAY_MS));

    clock.advance(2 * DAY_MS);
    await queue.idle();

    expect(ran).toEqual(['tomorrow']);
    await queue.close();
  });
});
