import { readFileSync, writeFileSync } from 'node:fs';
import { parse, stringify } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import type { Role } from '../../src/org/org.js';
import type { PolicyProfile } from '../../src/policy/profile.js';
import { profileKey } from '../../src/policy/profile.js';
import { ACTION_TYPES, type ActionType } from '../../src/procedure/actions.js';
import type { CaseSnapshot } from '../../src/procedure/case-snapshot.js';
import { movesFor, stageExists } from '../../src/procedure/moves.js';
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

type Payload = Parameters<typeof act>[3];
const later = (a: string, b: string) => (a > b ? a : b);

/** The next step of the walk from the case's stage: who takes it, what, and on which day. */
function nextStep(c: CaseSnapshot, date: string): [string, Payload, string] {
  switch (c.stage) {
    case 'lead':
      return ['chentownship', { type: 'acceptLead' }, date];
    case 'homeVerification':
      return ['wangcadre', visit, '2026-03-03'];
    case 'dataCrossCheck':
      return ['liucounty', { type: 'recordCrossCheck', result: 'clear' }, date];
    case 'villageAppraisal':
      return ['lisecretary', { type: 'recordAppraisal' }, later(date, '2026-03-05')];
    case 'publicNotice':
      if (c.crossCheck.status === 'pending') return ['liucounty', { type: 'recordCrossCheck', result: 'clear' }, '2026-03-06'];
      return ['wangcadre', { type: 'closeNotice' }, c.notice!.endsOn];
    case 'townshipReview':
      return ['chentownship', { type: 'townshipApprove' }, later(date, '2026-03-13')];
    case 'countyApproval':
    case 'eliminationCountyApproval':
      return ['liucounty', { type: 'countyApprove' }, date];
    case 'identified':
      return ['chentownship', { type: 'register', monitoringContacts: ['wangcadre'] }, '2026-03-14'];
    case 'registered':
      return ['wangcadre', { type: 'recordAssistancePlan', measures: ['employment'] }, '2026-03-16'];
    case 'monitoring':
      return ['wangcadre', { type: 'proposeElimination', method: 'byAssistance', income: { year: 2026, netIncomePerCapita: 8200 } }, date];
    case 'eliminationProposed':
      return ['chentownship', { type: 'acceptEliminationProposal' }, date];
    case 'eliminationHomeVerification':
      return ['wangcadre', { ...visit, income: { year: 2026, netIncomePerCapita: 8200 } }, '2026-06-02'];
    case 'householdAgreement':
      return ['wangcadre', { type: 'recordHouseholdAgreement', agrees: true }, '2026-06-02'];
    case 'eliminationAppraisal':
      return ['lisecretary', { type: 'recordAppraisal' }, '2026-06-03'];
    case 'eliminationNotice':
      return ['wangcadre', { type: 'closeNotice' }, c.notice!.endsOn];
    case 'eliminationTownshipReview':
      return ['chentownship', { type: 'townshipApprove' }, later(date, '2026-06-15')];
    default:
      throw new Error(`the walk has no step for ${c.stage}`);
  }
}

/**
 * Plays one case through identification and elimination (and one to rejection) by whatever stages the
 * profile has, keeping the case as it enters each stage with the day it got there.
 */
function walk(p: PolicyProfile): Map<Stage, AtStage> {
  const seen = new Map<Stage, AtStage>();
  let c = opened(p, '2026-03-02');
  let date = '2026-03-02';
  const keep = () => seen.has(c.stage) || seen.set(c.stage, { case: c, date });
  keep();
  seen.set('rejected', { case: must(act(c, p, 'chentownship', { type: 'reject', reasons: ['重复线索'] }, date)), date });
  for (let taken = 0; c.stage !== 'eliminated'; taken++) {
    if (taken > 30) throw new Error(`the walk is stuck at ${c.stage}`);
    const [userId, action, on] = nextStep(c, date);
    date = on;
    c = must(act(c, p, userId, action, date));
    if (c.stage === 'monitoring') date = '2026-06-01'; // elimination by assistance: not before May
    keep();
  }
  return seen;
}

function attempt(at: AtStage, p: PolicyProfile, type: ActionType, userId: string) {
  const sample = samples[type];
  const c = { ...at.case, ...sample.given } as CaseSnapshot;
  const date = sample.on === 'noticeEnd' && c.notice ? c.notice.endsOn : at.date;
  return act(c, p, userId, { type, ...sample.action } as Payload, date);
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
    const expected = STAGES.filter((s) => stageExists(s, p));
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
