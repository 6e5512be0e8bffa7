import { describe, expect, it } from 'vitest';
import { CaseSealer, SealedDataError } from '../../src/privacy/case-sealer.js';
import { createVault, parseDataKey } from '../../src/privacy/vault.js';
import type { CaseSnapshot } from '../../src/procedure/case-snapshot.js';
import type { TransitionEvent } from '../../src/procedure/transition-event.js';
import { TEST_DATA_KEY } from '../helpers/test-app.js';
import { opened, profile } from '../procedure/harness.js';

const sealer = new CaseSealer(createVault(parseDataKey(TEST_DATA_KEY)));

/** A state with every sealed field holding something. */
function everythingTyped(): CaseSnapshot {
  return {
    ...opened(profile('hunan-2022'), '2026-03-02'),
    version: 9,
    stage: 'rejected',
    fastTrack: { hardship: 'disaster', markedOn: '2026-03-02', note: '暴雨冲垮院墙', relief: '发放临时救助金', reliefOn: '2026-03-03' },
    netIncomePerCapita: { '2025': 4870, '2026': 3210 },
    crossCheck: { status: 'flagged', on: '2026-03-10', note: '车管所有登记' },
    notice: { startsOn: '2026-03-12', endsOn: '2026-03-17' },
    objections: [
      { id: 'obj-1', raisedOn: '2026-03-13', summary: '他家有车', status: 'dismissed', resolvedOn: '2026-03-14', resolution: '车已转卖邻村' },
      { id: 'obj-2', raisedOn: '2026-03-15', summary: '儿子在外打工', status: 'open' },
    ],
    rejection: { on: '2026-03-20', reasons: ['收入超标', '有车'] },
  };
}
const TYPED = ['暴雨冲垮院墙', '发放临时救助金', '4870', '3210', '车管所有登记', '他家有车', '车已转卖邻村', '儿子在外打工', '收入超标', '有车'];

describe('CaseSealer: the procedure state', () => {
  it('stores no income or typed text in the clear, and opens to exactly the state it sealed', () => {
    const state = everythingTyped();
    const stored = sealer.sealProcedure(state);
    const json = JSON.stringify(stored);
    for (const text of TYPED) expect(json).not.toContain(text);
    expect(stored).toMatchObject({
      stage: 'rejected',
      version: 9,
      crossCheck: { status: 'flagged', on: '2026-03-10' },
      objections: [{ id: 'obj-1', status: 'dismissed', resolvedOn: '2026-03-14' }, { id: 'obj-2', status: 'open' }],
      rejection: { on: '2026-03-20' },
    });
    expect(sealer.openProcedure(stored)).toEqual(state);
    expect(state.objections[0]!.summary).toBe('他家有车');
  });

  it('stores a state with nothing to seal as it is, and reads a state stored before sealing as it is', () => {
    const fresh = opened(profile('hunan-2022'), '2026-03-02');
    expect(sealer.sealProcedure(fresh)).toEqual(fresh);
    const legacy = everythingTyped();
    expect(sealer.openProcedure(JSON.parse(JSON.stringify(legacy)))).toEqual(legacy);
  });

  it('refuses a sealed part moved from another case or version, one sealed under another key, and a typed value planted beside it', () => {
    const stored = sealer.sealProcedure(everythingTyped());
    const other = sealer.sealProcedure({ ...everythingTyped(), id: 'case-2' });
    expect(() => sealer.openProcedure({ ...stored, sealed: other.sealed })).toThrow(SealedDataError);
    expect(() => sealer.openProcedure({ ...stored, version: 10 })).toThrow(SealedDataError);
    const stranger = new CaseSealer(createVault(Buffer.alloc(32, 9))).sealProcedure(everythingTyped());
    expect(() => sealer.openProcedure({ ...stored, sealed: stranger.sealed })).toThrow(SealedDataError);
    expect(() => sealer.openProcedure({ ...stored, netIncomePerCapita: { '2026': 99999 } })).toThrow(SealedDataError);
  });
});

describe('CaseSealer: an audit step', () => {
  const visit: TransitionEvent = {
    caseId: 'case-1',
    action: 'recordHomeVerification',
    from: 'eliminationHomeVerification',
    to: 'monitoring',
    version: 12,
    actor: { userId: 'wangcadre', role: 'cadre' },
    at: '2026-03-02T02:00:00.000Z',
    reason: 'elimination.incomeBelowLine',
    profileKey: 'hunan-2022@1',
    data: {
      verifiedBy: ['王建国', '青山镇周干事'],
      commitment: false,
      authorization: false,
      income: { year: 2026, netIncomePerCapita: 3210 },
      noLabour: false,
      registers: [],
      note: '老伴透析',
      heldBy: 'elimination.incomeBelowLine',
      year: 2026,
      netIncomePerCapita: 3210,
      threshold: 7000,
    },
  };

  it('keeps the clear keys readable, seals the rest of its data and its reason, and opens to the same step', () => {
    const stored = sealer.sealEvent(visit);
    expect(stored.data).toEqual({ commitment: false, authorization: false, noLabour: false, registers: [], heldBy: 'elimination.incomeBelowLine' });
    expect(stored).not.toHaveProperty('reason');
    for (const text of ['3210', '老伴透析', '周干事', 'incomeBelowLine"', '7000']) expect(JSON.stringify({ ...stored, data: {} })).not.toContain(text);
    expect(sealer.openEvent(stored)).toEqual(visit);
  });

  it('stores the same step the same way every time (a retried append finds its own record), and another step otherwise', () => {
    expect(sealer.sealEvent(visit)).toEqual(sealer.sealEvent({ ...visit }));
    expect(sealer.sealEvent({ ...visit, version: 13 }).sealed).not.toBe(sealer.sealEvent(visit).sealed);
  });

  it('stores a step with nothing to seal as it is, and reads a step stored before sealing as it is', () => {
    const accept: TransitionEvent = { ...visit, action: 'acceptLead', reason: undefined, data: { assignees: ['wangcadre'] } };
    delete accept.reason;
    expect(sealer.sealEvent(accept)).toEqual(accept);
    expect(sealer.openEvent(visit)).toEqual(visit);
  });
});
