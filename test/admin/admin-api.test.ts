import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_ORG_FILE, loadOrgFile } from '../../src/org/org-file.js';
import { Org } from '../../src/org/org.js';
import { householdSays } from '../helpers/staff-chat.js';
import { startTestService, type TestService } from '../helpers/test-app.js';

const ADMIN = 'test-admin-token-0123456789';
const TOWNSHIP_TOKEN = 'township-token-of-chen-0123456789';
const DECLARATION = ['申报', '张德福', '430621195805121238', '13812345678', '1', '1', '1', '3', '1', '6', '老伴生病住院，每月自付两千多元。', '说完了', '是', '是', '1'];

let svc: TestService | undefined;
afterEach(async () => {
  await svc?.close();
  svc = undefined;
});

/** The demo org, with 陈镇长 (township reviewer of 青山镇) holding an API token of his own. */
function orgWithStaffToken(): Org {
  const base = loadOrgFile(DEMO_ORG_FILE);
  const sha = createHash('sha256').update(TOWNSHIP_TOKEN).digest('hex');
  return new Org({ ...base.file, staff: base.file.staff.map((m) => (m.userId === 'chentownship' ? { ...m, apiTokenSha256: sha } : m)) });
}

async function get(path: string, token?: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${svc!.baseUrl}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  return { status: res.status, body: (await res.json().catch(() => ({}))) as Record<string, unknown> };
}

describe('the admin API', () => {
  it('refuses a caller without a valid token, and documents itself', async () => {
    svc = await startTestService();
    expect((await get('/admin/cases')).status).toBe(401);
    expect((await get('/admin/cases', 'wrong-token-0123456789abcdef')).status).toBe(401);
    const docs = await fetch(`${svc.baseUrl}/admin/docs/json`);
    expect(docs.status).toBe(200);
    const spec = (await docs.json()) as { paths: Record<string, unknown> };
    expect(Object.keys(spec.paths)).toEqual(expect.arrayContaining(['/admin/cases', '/admin/outbox']));
  });

  it('lists cases by area, stage and overdue, with no ID or phone number; bad input is a 400 naming the field', async () => {
    svc = await startTestService({ org: orgWithStaffToken() });
    for (const text of DECLARATION) await householdSays(svc, 'wmHousehold01', text);
    const all = await get('/admin/cases', ADMIN);
    expect(all.status).toBe(200);
    expect(all.body.items).toEqual([
      expect.objectContaining({ caseNumber: '20261122-0001', stage: 'lead', place: '青山镇桃源村一组', head: '张德福', source: 'selfDeclaration', dueOn: '2026-12-07', overdue: false }),
    ]);
    expect(JSON.stringify(all.body)).not.toMatch(/430621195805121238|13812345678|4306\*|138\*/);

    svc.clock.set('2026-12-08T02:00:00Z');
    expect((await get('/admin/cases?overdue=true', ADMIN)).body.items).toHaveLength(1);
    expect((await get('/admin/cases?stage=monitoring', ADMIN)).body.items).toEqual([]);

    const bad = await get('/admin/cases?stage=nonsense&limit=0', ADMIN);
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ error: 'BAD_REQUEST', issues: expect.arrayContaining([expect.objectContaining({ field: expect.stringContaining('stage') })]) });
  });

  it('keeps a staff member to their own areas, and the outbox to the county clerk', async () => {
    svc = await startTestService({ org: orgWithStaffToken() });
    for (const text of DECLARATION) await householdSays(svc, 'wmHousehold01', text);
    expect((await get('/admin/cases', TOWNSHIP_TOKEN)).body.items).toHaveLength(1);
    expect((await get('/admin/cases?area=430621102', TOWNSHIP_TOKEN)).status).toBe(403);
    expect((await get('/admin/outbox?status=failed', TOWNSHIP_TOKEN)).status).toBe(403);
    expect(await get('/admin/outbox?status=failed', ADMIN)).toEqual({ status: 200, body: { items: [] } });
  });

  it('lists what did not go out and why, never the message itself', async () => {
    svc = await startTestService({ env: { OUTBOX_RETRY_BASE_MS: '20' } });
    // WeCom refuses every message to this member for good (81013: no valid recipient).
    for (let i = 0; i < 3; i++) svc.fake.failNext('message/send', 81013);
    for (const text of DECLARATION) await householdSays(svc, 'wmHousehold01', text);
    const failed = await get('/admin/outbox?status=failed', ADMIN);
    expect(failed.status).toBe(200);
    const items = failed.body.items as { purpose: string; reason: string }[];
    expect(items.length).toBeGreaterThan(0);
    expect(items.every((i) => i.reason === 'errcode 81013')).toBe(true);
    expect(JSON.stringify(failed.body)).not.toMatch(/张德福|老伴|自主申报/);
  });
});
