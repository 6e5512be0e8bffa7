import { describe, expect, it } from 'vitest';
import { act, must, opened, profile, refused, visit } from './harness.js';

const hunan = profile('hunan-2022');

describe('decisions carry the case version they were made on', () => {
  it('of two decisions made on the same version, the second is refused with case.movedOn', () => {
    let c = opened(hunan, '2026-03-02');
    c = must(act(c, hunan, 'chentownship', { type: 'acceptLead' }, '2026-03-02'));
    c = must(act(c, hunan, 'wangcadre', visit, '2026-03-02'));
    const shown = must(act(c, hunan, 'lisecretary', { type: 'recordAppraisal' }, '2026-03-02'));
    expect(shown.version).toBe(4);

    // The county and a cadre both act on version 4: the cross-check lands first, the objection second.
    const first = must(act(shown, hunan, 'liucounty', { type: 'recordCrossCheck', result: 'clear', caseVersion: 4 }, '2026-03-07'));
    expect(first.version).toBe(5);
    expect(refused(act(first, hunan, 'wangcadre', { type: 'recordObjection', summary: '迟到的异议', caseVersion: 4 }, '2026-03-07'))).toEqual({
      reason: 'case.movedOn',
      detail: { caseVersion: 5, stage: 'publicNotice' },
    });
    // The same decision made again on the current version goes through.
    expect(must(act(first, hunan, 'wangcadre', { type: 'recordObjection', summary: '迟到的异议', caseVersion: 5 }, '2026-03-07')).version).toBe(6);
  });

  it('a refused decision leaves the version as it was', () => {
    const c = must(act(opened(hunan, '2026-03-02'), hunan, 'chentownship', { type: 'acceptLead' }, '2026-03-02'));
    refused(act(c, hunan, 'wangcadre', { ...visit, verifiedBy: ['王建国'] }, '2026-03-02'));
    expect(must(act(c, hunan, 'wangcadre', visit, '2026-03-02')).version).toBe(c.version + 1);
  });
});
