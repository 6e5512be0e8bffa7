import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_ORG_FILE, loadOrgFile } from '../../src/org/org-file.js';
import { Org } from '../../src/org/org.js';
import { householdSays, staffSays } from '../helpers/staff-chat.js';
import { startTestService, type TestService } from '../helpers/test-app.js';

const ADMIN = 'test-admin-token-0123456789';
const TOWNSHIP_TOKEN = 'township-token-of-chen-0123456789';
const REGISTER = readFileSync(new URL('../fixtures/registers/qingshan.csv', import.meta.url), 'utf8');
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

async function call(method: string, path: string, token: string | undefined, body?: string, type = 'application/json') {
  const res = await fetch(`${svc!.baseUrl}${path}`, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': type } : {}) },
    ...(body !== undefined ? { body } : {}),
  });
  return { status: res.status, body: (await res.json().catch(() => ({}))) as Record<string, unknown> };
}
const importCsv = (csv: string, token = ADMIN) => call('POST', '/admin/registers', token, csv, 'text/csv; charset=utf-8');
const households = () => svc!.built.checks.deps.register.households;

describe('POST /admin/registers', () => {
  it('imports a valid register: ID numbers sealed and masked, key groups from the profile, villages and groups by name', async () => {
    svc = await startTestService();
    const res = await importCsv(REGISTER);
    expect(res).toMatchObject({ status: 200, body: { created: 4, matched: [] } });
    const stored = await households().find({});
    expect(stored).toHaveLength(4);
    const li = stored.find((h) => h.head === '李秀英')!;
    expect(li).toMatchObject({ idNumberMasked: '4306**********2342', area: { township: '430621101', village: '430621101201', group: '430621101201-02' }, keyGroups: ['severeDisability', 'temporaryAssistance'] });
    expect(JSON.stringify(stored)).not.toContain('430621196203042342');
    expect(svc.built.checks.deps.vault.open(li.idNumberSealed)).toBe('430621196203042342');
    // The same register again: every household is matched, none added.
    const again = await importCsv(REGISTER);
    expect(again.body).toMatchObject({ created: 0, matched: [{ line: 2, with: 'register' }, { line: 3, with: 'register' }, { line: 4, with: 'register' }, { line: 5, with: 'register' }] });
    expect(await households().count({})).toBe(4);
  });

  it('refuses a register with bad rows: nothing written, every bad row named with its line and the problem', async () => {
    svc = await startTestService();
    const csv = [
      '户主姓名,身份证号,村,组,类别',
      '张德福,430621195805121238,桃源村,一组,大病重病',
      '李秀英,430621196203042341,桃源村,二组,重度残疾', // check digit
      '王大山,430621197008153455,桃花村,三组,务工就业不稳', // no such village
      '刘春花,430621198511204568,柳塘村,五组,分散供养特困', // no such group
      '陈老三,430621196001011230,石门村,,低收入', // not a key group of the profile
      '123,430621195805121238,桃源村,一组,大病重病', // not a name, and the same ID as line 2
      ',,,,',
    ].join('\r\n');
    const res = await importCsv(csv);
    expect(res.status).toBe(400);
    const problems = res.body.problems as { line: number; field: string; problem: string }[];
    expect(problems.map((p) => [p.line, p.field])).toEqual([
      [3, 'idNumber'],
      [4, 'village'],
      [5, 'group'],
      [6, 'category'],
      [7, 'head'],
    ]);
    expect(problems[0]!.problem).toContain('校验位');
    expect(problems[3]!.problem).toContain('大病重病');
    expect(await households().count({})).toBe(0);
    // A missing column is named; a file of headers only too.
    expect((await importCsv('户主姓名,身份证号,村\n张德福,430621195805121238,桃源村')).body.problems).toEqual([{ line: 1, field: 'category', problem: '缺少“户主姓名”列'.replace('户主姓名', '类别') }]);
    expect((await importCsv('户主姓名,身份证号,村,组,类别\n')).status).toBe(400);
  });

  it('matches a household already known as a case instead of adding it, and keeps a township to its own villages', async () => {
    svc = await startTestService({ org: orgWithStaffToken() });
    for (const text of DECLARATION) await householdSays(svc, 'wmHousehold01', text);
    const res = await importCsv(REGISTER, TOWNSHIP_TOKEN);
    expect(res.body).toMatchObject({ created: 3, matched: [{ line: 2, with: 'case', caseNumber: '20261122-0001' }] });
    // One household: its case and its register row share the ID number's lookup key.
    const [kase] = await svc.built.checks.deps.cases.inVillages(['430621101201'], ['lead']);
    expect(await households().get(kase!.household.idNumberKey)).toMatchObject({ head: '张德福', keyGroups: ['seriousIllness'] });
    const outside = await importCsv('户主姓名,身份证号,村,组,类别\n赵六,430621196001011230,石门村,一组,大病重病', TOWNSHIP_TOKEN);
    expect(outside.body.problems).toEqual([{ line: 2, field: 'village', problem: '“白水乡石门村”不在您管辖的范围内' }]);
    expect((await call('POST', '/admin/registers', undefined, REGISTER, 'text/csv')).status).toBe(401);
  });

  it('says .xlsx cannot be read yet and how to import instead', async () => {
    svc = await startTestService();
    const res = await call('POST', '/admin/registers', ADMIN, 'PK\u0003\u0004', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(res).toMatchObject({ status: 415, body: { error: 'UNSUPPORTED_MEDIA_TYPE', problem: expect.stringContaining('CSV') } });
    expect(await households().count({})).toBe(0);
  });
});

describe('campaigns through the admin API', () => {
  it('opens a campaign, shows its progress per village, closes it with its missing list; bad input and other areas are refused', async () => {
    svc = await startTestService({ org: orgWithStaffToken() });
    await importCsv(REGISTER);
    const input = { name: '冬季集中排查', period: { from: '2026-11-22', to: '2026-12-10' }, scope: { area: '430621101', households: 'all' }, form: 'central-check', statistics: { timePoint: '2026年11月22日24时' } };
    const opened = await call('POST', '/admin/campaigns', TOWNSHIP_TOKEN, JSON.stringify(input));
    expect(opened.status).toBe(201);
    expect(opened.body).toMatchObject({ status: 'open', openedBy: 'chentownship', progress: { due: 4, done: 0 } });
    const id = opened.body.id as string;

    const bad = await call('POST', '/admin/campaigns', ADMIN, JSON.stringify({ ...input, form: 'nonsense', period: { from: '2026-12-10', to: '2026-12-01' } }));
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body.issues)).toMatch(/form/);
    expect((await call('POST', '/admin/campaigns', TOWNSHIP_TOKEN, JSON.stringify({ ...input, scope: { area: '430621102', households: 'all' } }))).status).toBe(403);

    // A cadre visits one household by chat.
    for (const text of ['排查', '2', '李秀英', '上门', '今天', '以上都没有', '基本不变', '9000', '外出务工', '否', '没有风险', '无', '无', '1']) await staffSays(svc, 'wangcadre', text);
    const shown = await call('GET', `/admin/campaigns/${id}`, ADMIN);
    expect(shown.body).toMatchObject({ progress: { due: 4, done: 1, villages: [{ name: '桃源村', due: 3, done: 1, missing: ['张德福', '王大山'] }, { name: '柳塘村', due: 1, done: 0, missing: ['刘春花'] }] } });
    expect((await call('GET', '/admin/campaigns', TOWNSHIP_TOKEN)).body.items).toHaveLength(1);

    const closed = await call('POST', `/admin/campaigns/${id}/close`, TOWNSHIP_TOKEN);
    expect(closed.body).toMatchObject({ status: 'closed', missing: [{ head: '张德福' }, { head: '王大山' }, { head: '刘春花' }].map((m) => expect.objectContaining(m)) });
    expect(JSON.stringify(closed.body)).not.toMatch(/4306212|\*\*\*\*/);
    expect((await call('GET', '/admin/campaigns/cmp-00000000-0000', ADMIN)).status).toBe(404);
  });
});
