import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/shared/clock.js';
import { startTestService, type TestService } from '../helpers/test-app.js';

// /readyz lists what operators must fix without taking the service out of rotation: a profile in force
// with no income line for the current year (in China) is a warning, not an outage.
let svc: TestService | undefined;
afterEach(async () => {
  await svc?.close();
  svc = undefined;
});

async function readyz(s: TestService): Promise<{ status: number; body: { status: string; checks: Record<string, string>; warnings: string[] } }> {
  const res = await fetch(`${s.baseUrl}/readyz`);
  return { status: res.status, body: (await res.json()) as { status: string; checks: Record<string, string>; warnings: string[] } };
}

describe('/readyz warnings', () => {
  it('stays 200 and names the file and setting of every profile without a line for this year', async () => {
    svc = await startTestService(); // 2026-11-22: no shipped profile has a 2026 line
    const { status, body } = await readyz(svc);
    expect(status).toBe(200);
    expect(body).toMatchObject({ status: 'ready', checks: { stateStore: 'ok', documentStore: 'ok' } });
    expect(body.warnings).toContain('config/profiles/hunan-2022.yaml: incomeThreshold.perYear."2026" is not set — eliminations in 2026 cannot be judged until it is');
    expect(body.warnings).toContain('config/profiles/xuwen-2021.yaml: incomeThreshold.perYear."2026" is not set — eliminations in 2026 cannot be judged until it is');
    expect(body.warnings.filter((w) => w.startsWith('config/profiles/'))).toHaveLength(5);
  });

  it('names each role the procedure needs that nobody holds in an area of the org, and who stands in', async () => {
    svc = await startTestService(); // the demo org: 白水乡 has no reviewer, 石门村 no secretary
    const { status, body } = await readyz(svc);
    expect(status).toBe(200);
    expect(body.warnings).toContain(
      "白水乡石门村 (430621102201): nobody holds villageSecretary — the countyApprover stands in for acceptLead, recordAppraisal, resolveObjection, register; add one to the org file's staff",
    );
    expect(body.warnings.some((w) => w.startsWith('白水乡 (430621102): nobody holds townshipReviewer'))).toBe(true);
  });

  it('follows the clock: a warning appears when the year turns in China, without a restart', async () => {
    const clock = new ManualClock('2023-12-31T15:00:00Z'); // 23:00 on 31 Dec in China; Hunan has a 2023 line
    svc = await startTestService({ clock });
    const hunan2024 = 'config/profiles/hunan-2022.yaml: incomeThreshold.perYear."2024" is not set — eliminations in 2024 cannot be judged until it is';
    const before = await readyz(svc);
    expect(before.body.warnings.some((w) => w.startsWith('config/profiles/hunan-2022.yaml'))).toBe(false);
    expect(before.body.warnings).toContain('config/profiles/henan-2021.yaml: incomeThreshold.perYear."2023" is not set — eliminations in 2023 cannot be judged until it is');

    clock.set('2023-12-31T16:00:00Z'); // midnight in China
    const after = await readyz(svc);
    expect(after.status).toBe(200);
    expect(after.body.warnings).toContain(hunan2024);
  });
});
