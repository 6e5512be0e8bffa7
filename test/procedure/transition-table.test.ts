import { readFileSync, writeFileSync } from 'node:fs';
import { parse, stringify } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import type { Role } from '../../src/org/org.js';
import type { PolicyProfile } from '../../src/policy/profile.js';
import { profileKey } from '../../src/policy/profile.js';
import { ACTION_TYPES, type ActionType } from '../../src/procedure/actions.js';
import type { CaseSnapshot } from '../../src/procedure/case-snapshot.js';
import { movesFor } from '../../src/procedure/moves.js';
import { STAGES, type Stage } from '../../src/procedure/stages.js';
import { act, FIXTURES, must, opened, profiles, visit, withLine2026 } from './harness.js';

// For each shipped profile: every move the procedure allows is taken by every role it names and lands
// where allowed-moves.yaml says; every other role is refused; every other (stage, action) pair is refused.
// UPDATE_GOLDEN=1 rewrites allowed-moves.yaml from what the procedure does; review the diff.

interface Sample {
  action: Record<string, unknown>;
  given?: Partial<CaseSnapshot>;
  on?: 'noticeEnd';
}
/** profile id › stage › action › 'to <stage>, by <roles>'. */
type Golden = Record<string, Record<string, Record<string, string>>>;

const samples = parse(readFileSync(`${FIXTURES}sample-actions.yaml`, 'utf8')) as Record<ActionType, Sample>;
const GOLDEN_FILE = `${FIXTURES}allowed-moves.yaml`;
const golden = parse(readFileSync(GOLDEN_FILE, 'utf8')) as Golden;
const ACTOR: Record<Role, string> = { cadre: 'wangcadre', villageSecretary: 'lisecretary', townshipReviewer: 'chentownship', countyApprover: 'liucounty', admin: 'admin' };
const ROLES = Object.keys(ACTOR) as Role[];

interface AtStage {
  case: CaseSnapshot;
  date: string;
}

/** Plays one case through identification and elimination (and one to rejection), keeping the case as it enters each stage. */
function walk(p: PolicyProfile): Map<Stage, AtStage> {
  const seen = new Map<Stage, AtStage>();
  let c = opened(p, '2026-03-02');
  const keep = (date: string) => seen.has(c.stage) || seen.set(c.stage, { case: c, date });
  const step = (userId: string, action: Parameters<typeof act>[3], date: string) => {
    c = must(act(c, p, userId, action, date));
    keep(date);
  };
  keep('2026-03-02');
  seen.set('rejected', { case: must(act(c, p, 'chentownship', { type: 'reject', reasons: ['重复线索'] }, '2026-03-02')), date: '2026-03-02' });
  step('chentownship', { type: 'acceptLead' }, '2026-03-02');
  step('wangcadre', visit, '2026-03-03');
  if (c.stage === 'dataCrossCheck') step('liucounty', { type: 'recordCrossCheck', result: 'clear' }, '2026-03-03');
  step('lisecretary', { type: 'recordAppraisal' }, '2026-03-05');
  if (c.crossCheck.status === 'pending') step('liucounty', { type: 'recordCrossCheck', result: 'clear' }, '2026-03-06');
  step('wangcadre', { type: 'closeNotice' }, c.notice!.endsOn);
  step('chentownship', { type: 'townshipApprove' }, '2026-03-13');
  if (c.stage === 'countyApproval') step('liucounty', { type: 'countyApprove' }, '2026-03-13');
  step('chentownship', { type: 'register', monitoringContacts: ['wangcadre'] }, '2026-03-14');
  step('wangcadre', { type: 'recordAssistancePlan', measures: ['employment'] }, '2026-03-16');
  seen.set('monitoring', { case: c, date: '2026-06-01' }); // elimination by assistance: not before May
  step('wangcadre', { type: 'proposeElimination', method: 'byAssistance' }, '2026-06-01');
  step('chentownship', { type: 'acceptEliminationProposal' }, '2026-06-01');
  step('wangcadre', { ...visit, income: { year: 2026, netIncomePerCapita: 8200 } }, '2026-06-02');
  step('wangcadre', { type: 'recordHouseholdAgreement', agrees: true }, '2026-06-02');
  step('lisecretary', { type: 'recordAppraisal' }, '2026-06-03');
  step('wangcadre', { type: 'closeNotice' }, c.notice!.endsOn);
  step('chentownship', { type: 'townshipApprove' }, '2026-06-15');
  if (c.stage === 'eliminationCountyApproval') step('liucounty', { type: 'countyApprove' }, '2026-06-15');
  return seen;
}

function attempt(at: AtStage, p: PolicyProfile, type: ActionType, userId: string) {
  const sample = samples[type];
  const c = { ...at.case, ...sample.given } as CaseSnapshot;
  const date = sample.on === 'noticeEnd' && c.notice ? c.notice.endsOn : at.date;
  return act(c, p, userId, { type, ...sample.action } as Parameters<typeof act>[3], date);
}

const UPDATE = Boolean(process.env.UPDATE_GOLDEN);
const observed: Golden = {};
afterAll(() => {
  if (!UPDATE) return;
  const header = '# What each move does under each shipped profile, and who may take it. Written by\n# UPDATE_GOLDEN=1 npx vitest run test/procedure/transition-table.test.ts; review every change.\n';
  writeFileSync(GOLDEN_FILE, header + stringify(observed, { lineWidth: 0 }));
});

describe.each(profiles.map((p) => [profileKey(p), withLine2026(p)] as const))('%s: the transition table', (_key, p) => {
  const reached = walk(p);
  const allowed = movesFor(p);
  const id = p.id;
  observed[id] = {};

  it('the walk reaches every stage the profile has, and only those', () => {
    const expected = STAGES.filter((s) => s !== 'dataCrossCheck' || p.dataCrossCheck.timing === 'beforeAppraisal').filter(
      (s) => !['countyApproval', 'eliminationCountyApproval'].includes(s) || p.approval === 'countyApprovesAndAnnounces',
    );
    expect([...reached.keys()].sort()).toEqual([...expected].sort());
  });

  it.each(allowed.map((m) => [`${m.from} › ${m.action}`, m] as const))('%s: allowed for its roles, refused for the others', (_name, move) => {
    const at = reached.get(move.from)!;
    for (const role of ROLES) {
      const decision = attempt(at, p, move.action, ACTOR[role]);
      if (!move.roles.includes(role)) {
        expect(decision, `${role} must be refused`).toMatchObject({ ok: false, reason: 'actor.roleNotAllowed' });
        continue;
      }
      const next = must(decision);
      expect(move.to).toContain(next.stage);
      expect(next.version).toBe(at.case.version + 1);
      (observed[id]![move.from] ??= {})[move.action] = `to ${next.stage}, by ${move.roles.join(' ')}`;
    }
    if (!UPDATE) expect(observed[id]![move.from]![move.action]).toEqual(golden[id]?.[move.from]?.[move.action]);
  });

  it('refuses every other (stage, action) pair', () => {
    const fallback = reached.get('lead')!;
    for (const stage of STAGES) {
      const at = reached.get(stage) ?? { ...fallback, case: { ...fallback.case, stage } };
      for (const type of ACTION_TYPES) {
        if (allowed.some((m) => m.from === stage && m.action === type)) continue;
        expect(attempt(at, p, type, 'admin'), `${stage} › ${type}`).toEqual({ ok: false, reason: 'action.notAllowedInStage', detail: { stage, action: type } });
      }
    }
  });

  it.skipIf(UPDATE)('allowed-moves.yaml lists exactly these moves', () => {
    const listed = Object.entries(golden[id] ?? {}).flatMap(([from, actions]) => Object.keys(actions).map((a) => `${from} › ${a}`));
    expect(listed.sort()).toEqual(allowed.map((m) => `${m.from} › ${m.action}`).sort());
  });
});
