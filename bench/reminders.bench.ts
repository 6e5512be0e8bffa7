/**
 * Plans one day's reminders over 100,000 open cases and prints the time and the peak memory.
 * Run: npm run bench:reminders  (BENCH_CASES=… for another count)
 *
 * A county of 20 townships × 25 villages (3 cadres and a secretary each, a reviewer per township, two at the
 * county): 2,022 staff. Cases at every stage with a deadline, leads found over the last 40 days, so many are on a
 * reminder day and many are overdue and climbing. What is timed is what the daily tick does once the cases are
 * read: each case's open deadlines and who owns them (case-deadlines.ts), the digests (plan.ts), and each
 * digest's text and card (digest-view.ts). Reading the cases from MongoDB is not part of it.
 */
import { performance } from 'node:perf_hooks';
import type { CaseRecord } from '../src/cases/case-record.js';
import { StaffTexts } from '../src/conversation/staff-texts.js';
import { createTexts } from '../src/i18n/i18n.js';
import { Org, type OrgFile } from '../src/org/org.js';
import { addNaturalDays, loadProfiles, loadWorkCalendar } from '../src/policy/index.js';
import { identificationDeadlines, leadDeadlines, noticePeriod } from '../src/procedure/deadlines.js';
import { caseDeadlineItems, planningCache } from '../src/reminders/case-deadlines.js';
import { DigestView } from '../src/reminders/digest-view.js';
import { planDigests } from '../src/reminders/plan.js';
import { rememberingOrg } from '../src/reminders/remembering-org.js';
import type { CaseSnapshot } from '../src/procedure/case-snapshot.js';
import type { Stage } from '../src/procedure/stages.js';

const CASES = Number(process.env.BENCH_CASES ?? 100_000);
const TODAY = '2026-12-07';

function county(): OrgFile {
  const townships: OrgFile['county']['townships'] = [];
  const staff: OrgFile['staff'] = [
    { userId: 'county1', name: '县审定一', roles: ['countyApprover'], areas: ['430621'] },
    { userId: 'county2', name: '县审定二', roles: ['countyApprover'], areas: ['430621'] },
  ];
  for (let t = 1; t <= 20; t++) {
    const tcode = `430621${String(100 + t)}`;
    const villages = [];
    for (let v = 1; v <= 25; v++) {
      const vcode = `${tcode}${String(200 + v)}`;
      villages.push({ code: vcode, name: `村${t}-${v}`, groups: [{ code: `${vcode}-01`, name: '一组' }] });
      for (let c = 1; c <= 3; c++) staff.push({ userId: `c${t}x${v}x${c}`, name: `村干部${t}-${v}-${c}`, roles: ['cadre'], areas: [vcode] });
      staff.push({ userId: `s${t}x${v}`, name: `书记${t}-${v}`, roles: ['villageSecretary'], areas: [vcode] });
    }
    townships.push({ code: tcode, name: `镇${t}`, villages });
    staff.push({ userId: `t${t}`, name: `镇审核${t}`, roles: ['townshipReviewer'], areas: [tcode] });
  }
  return { county: { code: '430621', name: '示范县', contact: { name: '县乡村振兴局', phone: '0730-1234567' }, townships }, staff };
}

const STAGES: Stage[] = ['lead', 'homeVerification', 'villageAppraisal', 'publicNotice', 'townshipReview', 'countyApproval', 'identified', 'registered', 'monitoring'];

async function main(): Promise<void> {
  const rssAtStart = process.memoryUsage().rss;
  // As CaseDeadlines plans a county: its org answers who serves an area from memory.
  const org = rememberingOrg(new Org(county()));
  const profile = loadProfiles().find((p) => p.id === 'hunan-2022')!;
  const calendar = loadWorkCalendar();
  const villages = org.descendants('430621', 'village');
  const staffByVillage = new Map(villages.map((v) => [v.code, org.file.staff.filter((m) => m.areas.some((a) => org.contains(a, v.code)))]));

  const records: CaseRecord[] = [];
  for (let i = 0; i < CASES; i++) {
    const village = villages[i % villages.length]!;
    const stage = STAGES[i % STAGES.length]!;
    const leadFoundOn = addNaturalDays(TODAY, -(i % 40) - 1);
    const identifiedOn = ['identified', 'registered', 'monitoring'].includes(stage) ? addNaturalDays(leadFoundOn, 12) : null;
    const cadres = staffByVillage.get(village.code)!.filter((m) => m.roles.includes('cadre')).map((m) => m.userId);
    const c: CaseSnapshot = {
      id: `case-${i}`,
      version: 3,
      stage,
      villageCode: village.code,
      source: 'selfDeclaration',
      profileKey: 'hunan-2022@1',
      leadFoundOn,
      fastTrack: null,
      householdFlags: { registers: [], noLabour: false },
      netIncomePerCapita: {},
      crossCheck: { status: stage === 'publicNotice' ? 'pending' : 'clear' },
      notice: stage === 'publicNotice' ? noticePeriod(calendar, profile, addNaturalDays(leadFoundOn, 6)) : null,
      objections: [],
      assignees: [],
      monitoringContacts: identifiedOn ? cadres.slice(0, 1 + (i % 3)) : [],
      identifiedOn,
      assistancePlan: stage === 'monitoring' ? { plannedOn: addNaturalDays(leadFoundOn, 14), measures: ['health'] } : null,
      elimination: null,
      eliminatedOn: null,
      rejection: null,
      deadlines: { ...leadDeadlines(calendar, profile, leadFoundOn, 'selfDeclaration'), ...(identifiedOn ? identificationDeadlines(calendar, profile, identifiedOn) : {}) },
    };
    records.push({
      _id: c.id,
      caseNumber: `20261101-${String(i).padStart(6, '0')}`,
      procedure: c,
      auditHead: null,
      area: { county: '430621', township: village.parent!, village: village.code, group: `${village.code}-01` },
      household: { head: '张德福', size: 3, idNumberSealed: '', idNumberKey: `k${i}`, idNumberMasked: '', phoneSealed: '', phoneMasked: '' },
      createdAt: `${leadFoundOn}T02:00:00.000Z`,
      updatedAt: `${leadFoundOn}T02:00:00.000Z`,
    });
  }
  const view = new DigestView({ texts: createTexts(), staff: new StaffTexts(createTexts()), org });
  global.gc?.();
  const before = process.memoryUsage();

  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const cache = planningCache();
  const items = records.flatMap((record) => caseDeadlineItems(record, { org, profile, staff: staffByVillage.get(record.procedure.villageCode)!, cache }));
  const t1 = performance.now();
  const digests = planDigests(items, { today: TODAY, settings: { daysBefore: [3, 1, 0], escalateAfterDays: [2, 5, 10] }, calendar, org, acknowledged: new Set() });
  const t2 = performance.now();
  let bytes = 0;
  for (const digest of digests) for (const m of view.render('zh-CN', digest)) bytes += m.type === 'text' ? Buffer.byteLength(m.text) : 0;
  const t3 = performance.now();
  const cpu = process.cpuUsage(cpu0);

  const after = process.memoryUsage();
  console.log(
    JSON.stringify(
      {
        cases: CASES,
        staff: org.file.staff.length,
        openItems: items.length,
        digests: digests.length,
        digestLines: digests.reduce((n, d) => n + d.entries.length, 0),
        escalatedLines: digests.reduce((n, d) => n + d.entries.filter((e) => e.escalated).length, 0),
        digestTextKB: Math.round(bytes / 1024),
        ms: { deadlines: Math.round(t1 - t0), plan: Math.round(t2 - t1), render: Math.round(t3 - t2), total: Math.round(t3 - t0) },
        // CPU time of the same work (user + system): what the planning costs, whatever else the machine is doing.
        cpuMs: Math.round((cpu.user + cpu.system) / 1000),
        memoryMB: {
          // The process before anything (Node, tsx, the modules), then with the 100,000 cases built in memory.
          rssAtStart: Math.round(rssAtStart / 2 ** 20),
          rssWithCases: Math.round(before.rss / 2 ** 20),
          heapUsedWithCases: Math.round(before.heapUsed / 2 ** 20),
          heapUsedAfterPlanning: Math.round(after.heapUsed / 2 ** 20),
          peakRss: Math.round(process.resourceUsage().maxRSS / 1024),
        },
      },
      null,
      2,
    ),
  );
}

void main();
