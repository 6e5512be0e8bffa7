import { afterEach, describe, expect, it } from 'vitest';
import { DeclarationService } from '../../src/cases/declaration-service.js';
import { sequentialCaseNumbers } from '../../src/cases/case-number.js';
import { addNaturalDays, loadWorkCalendar, type IsoDate, type PolicyProfile } from '../../src/policy/index.js';
import { CaseDeadlines } from '../../src/reminders/case-deadlines.js';
import { planDigests } from '../../src/reminders/plan.js';
import { createLogger } from '../../src/shared/logger.js';
import { answers, HOUSEHOLD, openCaseWorld, profiles, vault, type CaseWorld } from '../helpers/case-world.js';
import { on, profile, visit } from '../procedure/harness.js';

/**
 * The case source: the deadlines stored on real cases (computed by src/procedure/deadlines.ts in the profile's
 * unit) and who has the step pending, turned into reminders on the right days.
 */
const calendar = loadWorkCalendar();
const hunan = profile('hunan-2022');
/** Hunan, with identification within 10 working days (as Gansu counts its limits). */
const working: PolicyProfile = { ...hunan, id: 'hunan-working', limits: { ...hunan.limits, identification: { amount: 10, unit: 'working' } } };
const settings = { daysBefore: [3, 1, 0], escalateAfterDays: [2, 5, 10] };

let world: CaseWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

function source(w: CaseWorld, all: readonly PolicyProfile[]): CaseDeadlines {
  return new CaseDeadlines({ repo: w.repo, org: w.org, profiles: all, householdTold: async () => true, logger: createLogger('silent') });
}

/** The days from `from` to `to` on which `userId` is reminded of anything, with the line's timing. */
async function daysOf(deadlines: CaseDeadlines, w: CaseWorld, userId: string, from: IsoDate, to: IsoDate): Promise<string[]> {
  const out: string[] = [];
  for (let day = from; day <= to; day = addNaturalDays(day, 1)) {
    const digest = planDigests(await deadlines.openItems(), { today: day, settings, calendar, org: w.org, acknowledged: new Set() }).find((d) => d.userId === userId);
    for (const e of digest?.entries ?? []) out.push(`${day} ${e.item.kind} ${e.timing.kind === 'overdue' ? '+' : '-'}${e.timing.days}${e.escalated ? '^' : ''}`);
  }
  return out;
}

describe('deadlines of cases', () => {
  it('identification in natural days (Hunan, 15 days): reminded on the right days across National Day', async () => {
    world = await openCaseWorld();
    await world.declarations.declare(answers(), HOUSEHOLD, on('2026-09-24'));
    // Found 24 September: due 9 October. The township reviewer owns the acceptance (with the village secretary).
    expect(await daysOf(source(world, profiles), world, 'chentownship', '2026-10-01', '2026-10-12')).toEqual([
      '2026-10-06 identification -3',
      '2026-10-08 identification -1',
      '2026-10-09 identification -0',
      '2026-10-10 identification +1',
      '2026-10-11 identification +2',
      '2026-10-12 identification +3',
    ]);
  });

  it('identification in working days: counted over Mid-Autumn, National Day and its 调休 Saturday; reminders only on working days', async () => {
    world = await openCaseWorld();
    const declarations = new DeclarationService({
      repo: world.repo, caseAudit: world.caseAudit, vault, org: world.org, profiles: [...profiles, working], chooseProfile: () => working, calendar, caseNumbers: sequentialCaseNumbers(),
    });
    const { record } = await declarations.declare(answers(), HOUSEHOLD, on('2026-09-24'));
    // 25–27 September is Mid-Autumn, 1–7 October National Day: 28, 29, 30 September, 8, 9, 10 (a Saturday, worked),
    // 12, 13, 14, 15 October. Due Thursday 15 October (15 natural days would have been the 9th).
    expect(record.procedure.deadlines.identification).toBe('2026-10-15');
    expect(await daysOf(source(world, [...profiles, working]), world, 'chentownship', '2026-10-01', '2026-10-20')).toEqual([
      '2026-10-12 identification -3',
      '2026-10-14 identification -1',
      '2026-10-15 identification -0',
      '2026-10-16 identification +1',
      '2026-10-19 identification +2',
      '2026-10-20 identification +3',
    ]);
    // Two working days late it climbs past the village secretary (an owner too) and the township (an owner) to the county.
    expect(await daysOf(source(world, [...profiles, working]), world, 'liucounty', '2026-10-15', '2026-10-20')).toEqual(['2026-10-19 identification +2^', '2026-10-20 identification +3^']);
  });

  it('follow the step: once the township accepts the lead, the home visit is the cadres\' and the secretary is no longer reminded', async () => {
    world = await openCaseWorld();
    const { record } = await world.declarations.declare(answers(), HOUSEHOLD, on('2026-09-24'));
    const deadlines = source(world, profiles);
    const owners = async () => (await deadlines.openItems()).map((i) => `${i.kind}: ${i.owners.map((o) => `${o.userId}/${o.action}`).join(' ')}`);
    expect(await owners()).toEqual(['identification: lisecretary/acceptLead chentownship/acceptLead']);
    const d = await world.cases.decide({ caseId: record._id, action: { type: 'acceptLead', caseVersion: 1 }, userId: 'chentownship', now: on('2026-09-25') });
    expect(d.ok).toBe(true);
    expect(await owners()).toEqual(['identification: wangcadre/recordHomeVerification zhoucadre/recordHomeVerification chentownship/recordHomeVerification']);
    expect((await deadlines.stillOpen([`case:${record._id}:identification:2026-10-09`, `case:${record._id}:assistancePlan:2026-10-20`])).map((i) => i.kind)).toEqual(['identification']);
  });
});

describe('deadlines where nobody holds the step\'s role', () => {
  it('go to whoever stands in: in 石门村 (no village secretary, no township reviewer) registration is the county\'s', async () => {
    world = await openCaseWorld();
    const { record } = await world.declarations.declare(answers({ township: '430621102', village: '430621102201', group: '430621102201-01' }), HOUSEHOLD, on('2026-09-24'));
    const owners = async () => (await source(world!, profiles).openItems()).map((i) => `${i.kind}: ${i.owners.map((o) => `${o.userId}/${o.role}/${o.action}`).join(' ')}`);
    expect(await owners()).toEqual(['identification: liucounty/countyApprover/acceptLead']);
    const steps: [Record<string, unknown>, string, string][] = [
      [{ type: 'acceptLead' }, 'liucounty', '2026-09-24'],
      [visit, 'zhaocadre', '2026-09-25'],
      [{ type: 'recordAppraisal' }, 'liucounty', '2026-09-26'],
      [{ type: 'recordCrossCheck', result: 'clear' }, 'liucounty', '2026-09-27'],
      [{ type: 'closeNotice' }, 'zhaocadre', '2026-10-01'],
      [{ type: 'townshipApprove' }, 'liucounty', '2026-10-02'],
      [{ type: 'countyApprove' }, 'liucounty', '2026-10-03'],
    ];
    for (const [action, userId, date] of steps) {
      const current = (await world.repo.get(record._id))!;
      const d = await world.cases.decide({ caseId: record._id, action: { ...action, caseVersion: current.procedure.version } as never, userId, now: on(date) });
      if (!d.ok) expect.fail(`${String(action.type)} refused: ${d.reason}`);
    }
    expect((await world.repo.get(record._id))!.procedure.stage).toBe('identified');
    // Registering is the secretary's or the township's; with neither there, the county stands in and is reminded.
    expect(await owners()).toEqual(['assistancePlan: liucounty/countyApprover/register']);
  });
});
