import { describe, expect, it } from 'vitest';
import { act, eventOf, must, opened, profile, refused, visit } from './harness.js';

const hunan = profile('hunan-2022');

describe('fast track (先行救助): relief first, then the normal procedure', () => {
  it('a cadre marks plain disaster hardship; the procedure waits for the relief, then goes on as usual', () => {
    const lead = opened(hunan, '2026-03-02');
    const marked = act(lead, hunan, 'wangcadre', { type: 'markFastTrack', hardship: 'disaster', note: '3月1日暴雨致房屋倒塌' }, '2026-03-02');
    expect(eventOf(marked)).toMatchObject({ action: 'markFastTrack', from: 'lead', to: 'lead', data: { hardship: 'disaster' } });
    let c = must(marked);
    expect(c.fastTrack).toEqual({ hardship: 'disaster', markedOn: '2026-03-02', note: '3月1日暴雨致房屋倒塌' });

    expect(refused(act(c, hunan, 'chentownship', { type: 'acceptLead' }, '2026-03-02'))).toEqual({ reason: 'fastTrack.reliefFirst', detail: { markedOn: '2026-03-02' } });
    expect(refused(act(c, hunan, 'wangcadre', { type: 'markFastTrack', hardship: 'accident', note: '再次标记' }, '2026-03-02')).reason).toBe('fastTrack.reliefFirst');

    c = must(act(c, hunan, 'chentownship', { type: 'recordRelief', relief: '发放临时救助金3000元，安排临时住所' }, '2026-03-03'));
    expect(c.fastTrack).toMatchObject({ relief: '发放临时救助金3000元，安排临时住所', reliefOn: '2026-03-03' });
    expect(refused(act(c, hunan, 'chentownship', { type: 'recordRelief', relief: '再次救助' }, '2026-03-03')).reason).toBe('fastTrack.reliefAlreadyRecorded');
    expect(refused(act(c, hunan, 'wangcadre', { type: 'markFastTrack', hardship: 'accident', note: '再次标记' }, '2026-03-03')).reason).toBe('fastTrack.alreadyMarked');

    c = must(act(c, hunan, 'chentownship', { type: 'acceptLead' }, '2026-03-03'));
    c = must(act(c, hunan, 'wangcadre', visit, '2026-03-04'));
    expect(c).toMatchObject({ stage: 'villageAppraisal', fastTrack: { hardship: 'disaster' } });
  });

  it('takes a sudden severe illness as plainly as a disaster, and records the money given and the day, neither after today nor before the lead', () => {
    const lead = opened(hunan, '2026-03-02');
    const c = must(act(lead, hunan, 'lisecretary', { type: 'markFastTrack', hardship: 'suddenIllness', note: '户主突发脑溢血住院' }, '2026-03-02'));
    const relief = (givenOn: string) => act(c, hunan, 'wangcadre', { type: 'recordRelief', relief: '临时救助金', amount: 5000, givenOn }, '2026-03-04');
    expect(refused(relief('2026-03-05'))).toEqual({ reason: 'fastTrack.reliefDateInFuture', detail: { givenOn: '2026-03-05' } });
    expect(refused(relief('2026-03-01'))).toEqual({ reason: 'fastTrack.reliefBeforeLead', detail: { givenOn: '2026-03-01', leadFoundOn: '2026-03-02' } });
    expect(must(relief('2026-03-03')).fastTrack).toEqual({ hardship: 'suddenIllness', markedOn: '2026-03-02', note: '户主突发脑溢血住院', relief: '临时救助金', reliefAmount: 5000, reliefOn: '2026-03-03' });
  });

  it('relief without a fast-track mark is refused; a fast-track case may still be refused outright', () => {
    const lead = opened(hunan, '2026-03-02');
    expect(refused(act(lead, hunan, 'chentownship', { type: 'recordRelief', relief: '临时救助' }, '2026-03-02')).reason).toBe('fastTrack.notMarked');
    const marked = must(act(lead, hunan, 'wangcadre', { type: 'markFastTrack', hardship: 'accident', note: '交通事故致重伤' }, '2026-03-02'));
    expect(must(act(marked, hunan, 'chentownship', { type: 'reject', reasons: ['重复线索，已在其他案件中处理'] }, '2026-03-02')).stage).toBe('rejected');
  });
});
