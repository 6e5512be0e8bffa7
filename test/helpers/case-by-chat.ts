import { expect } from 'vitest';
import type { CaseRecord } from '../../src/cases/case-record.js';
import type { Org } from '../../src/org/org.js';
import { ManualClock } from '../../src/shared/clock.js';
import { FakeWeComState } from '../../src/simulator/fake-wecom-state.js';
import { casesOn, type Cases } from './case-world.js';
import { householdSays, staffClicks, staffSays, type StaffReply } from './staff-chat.js';
import { startTestService, TEST_NOW, type TestService } from './test-app.js';
import { VECTOR_CRYPTO } from './vectors.js';

/**
 * A case's life by chat over real HTTP: the service with a clock the test moves, households typing, staff
 * opening 我的待办, tapping cards and filling in forms.
 */
export const ID = '430621195805121238';
export const PHONE = '13812345678';
/** The declaration as the household types it (青山镇桃源村一组, household of 3, illness, none of the basic guarantees). */
export const DECLARATION = ['申报', '张德福', ID, PHONE, '1', '1', '1', '3', '1', '6', '老伴尿毒症每周透析，每月自付两千多元。', '说完了', '是', '是', '1'];
export const HOUSEHOLD = 'wmHousehold01';
export const CASE_NUMBER = '20261122-0001';

/** 10:00 in China on a date. */
export const at = (date: string, time = '10:00') => new Date(`${date}T${time}:00+08:00`);

/** The service on a manual clock, with the fake WeCom on the same clock; closed by `close()`. */
export async function startCaseService(options: { org?: Org; env?: Record<string, string> } = {}): Promise<{ svc: TestService; cases: Cases }> {
  const clock = new ManualClock(TEST_NOW);
  const fake = new FakeWeComState({ corpId: VECTOR_CRYPTO.corpId, secret: 'test-app-secret' });
  fake.now = () => clock.now().getTime();
  const svc = await startTestService({ clock, fake, ...options });
  return { svc, cases: await casesOn(svc.docs, options.org) };
}

/** The household declares by chat; the last replies. */
export async function declareByChat(svc: TestService, household = HOUSEHOLD, answers = DECLARATION): Promise<string[]> {
  let last: string[] = [];
  for (const text of answers) last = await householdSays(svc, household, text);
  return last;
}

export async function caseByNumber(cases: Cases, caseNumber = CASE_NUMBER): Promise<CaseRecord> {
  return (await cases.repo.byNumber(caseNumber))!;
}

/** 我的待办, then the one card with this title. */
export async function cardFrom(svc: TestService, userId: string, title: string): Promise<StaffReply['cards'][number]> {
  const reply = await staffSays(svc, userId, '我的待办');
  const card = reply.cards.find((c) => c.main_title.title === title);
  if (!card) expect.fail(`${userId} got no "${title}" card: ${JSON.stringify(reply)}`);
  return card;
}

/** A staff member taps 开始填写 on a form step's card and answers its questions; returns the last answers. */
export async function fill(svc: TestService, userId: string, title: string, answers: string[]): Promise<StaffReply> {
  let reply: StaffReply = await staffClicks(svc, userId, await cardFrom(svc, userId, title), 'fill');
  for (const text of answers) reply = await staffSays(svc, userId, text);
  return reply;
}
