import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkCaseAudit, checkPhoneDisclosures, describeDisclosureCheck } from '../../src/cases/audit-check.js';
import { CaseRepository } from '../../src/cases/case-repository.js';
import type { CaseRecord } from '../../src/cases/case-record.js';
import { DISCLOSURE_COLLECTION, PhoneDisclosures } from '../../src/cases/phone-disclosures.js';
import type { Address, Outbound } from '../../src/channel/messages.js';
import { DEMO_ORG_FILE, loadOrgFile } from '../../src/org/org-file.js';
import { createVault, parseDataKey } from '../../src/privacy/vault.js';
import type { Doc } from '../../src/stores/document-store.js';
import { KF_ACCOUNT, openChatWorld, type ChatWorld } from '../helpers/chat-script.js';
import { TEST_DATA_KEY } from '../helpers/test-app.js';

const PHONE = '13812345678';
const vault = createVault(parseDataKey(TEST_DATA_KEY));
const org = loadOrgFile(DEMO_ORG_FILE);
const household: Address = { channel: 'kf', openKfId: KF_ACCOUNT, externalUserId: 'wmHousehold01' };
const staff = (userId: string): Address => ({ channel: 'app', userId });
const textOf = (out: Outbound[]) => out.map((m) => (m.type === 'card' ? `[card] ${m.card.main_title.title}` : m.text)).join('\n');

let world: ChatWorld;
let phones: PhoneDisclosures;
let record: CaseRecord;
beforeEach(async () => {
  world = await openChatWorld();
  for (const text of ['申报', '张德福', '430621195805121238', PHONE, '1', '1', '1', '3', '1', '6', '看病花了很多钱。', '说完了', '是', '是', '1']) {
    await world.say(household, text);
    world.clock.advance(60_000);
  }
  const repo = new CaseRepository(world.docs, vault);
  phones = new PhoneDisclosures({ repo, docs: world.docs, vault, org });
  record = (await repo.byNumber('20261122-0001'))!;
});
afterEach(async () => world.close());

describe('seeing a household\'s full phone', () => {
  it('is recorded each time (who, when, which case) in a keyed chain of its own, leaving the case trail and its audit check as they were', async () => {
    const before = await checkCaseAudit(world.docs, vault, '20261122-0001');
    expect(before).toMatchObject({ status: 'ok' });

    expect(textOf(await world.say(staff('wangcadre'), '查看电话 20261122-0001'))).toContain(PHONE);
    world.clock.advance(5 * 60_000);
    expect(textOf(await world.say(staff('zhoucadre'), '查看电话 20261122-0001'))).toContain(PHONE);
    expect(textOf(await world.say(staff('suncadre'), '查看电话 20261122-0001'))).not.toContain(PHONE);

    expect((await phones.of(record._id)).map(({ userId, at, caseNumber, as }) => ({ userId, at, caseNumber, as }))).toEqual([
      { userId: 'wangcadre', at: '2026-11-22T08:15:00.000Z', caseNumber: '20261122-0001', as: 'villageCadre' },
      { userId: 'zhoucadre', at: '2026-11-22T08:20:00.000Z', caseNumber: '20261122-0001', as: 'villageCadre' },
    ]);
    expect(await phones.verify(record._id)).toEqual({ ok: true });
    expect(await checkPhoneDisclosures(world.docs, vault, '20261122-0001')).toEqual({ records: 2, ok: true });
    expect(await checkCaseAudit(world.docs, vault, '20261122-0001')).toEqual(before);
  });

  it('never puts the number in a log line, the disclosure record, or anything sent to someone else', async () => {
    world.notices.length = 0;
    await world.say(staff('wangcadre'), '查看电话 20261122-0001');
    expect(world.logs.join('\n')).not.toContain(PHONE);
    expect(JSON.stringify(await world.docs.collection<Doc>(DISCLOSURE_COLLECTION).find({}))).not.toContain(PHONE);
    expect(JSON.stringify(world.notices)).not.toContain(PHONE);
  });

  it('a tampered or removed record breaks the chain', async () => {
    await world.say(staff('wangcadre'), '查看电话 20261122-0001');
    await world.say(staff('zhoucadre'), '查看电话 20261122-0001');
    const records = world.docs.collection<Doc & { event: { userId: string } }>(DISCLOSURE_COLLECTION);
    const first = (await records.get(`phone:${record._id}:1`))!;
    await records.replaceWhere({ ...first, event: { ...first.event, userId: 'someoneelse' } }, {});
    expect(await phones.verify(record._id)).toMatchObject({ ok: false, brokenAt: 0, reason: 'altered' });
    // What `npm run audit:verify` prints beside the case's own check.
    const check = (await checkPhoneDisclosures(world.docs, vault, '20261122-0001'))!;
    expect(describeDisclosureCheck('20261122-0001', check)).toBe('BROKEN 20261122-0001 phone disclosures: record 1 was altered (2 records stored)');
  });

  it('a retry of the same request records it once', async () => {
    const member = org.findStaff('wangcadre')!;
    await phones.reveal(member, { caseId: record._id }, world.clock.now(), 'in-retried');
    const again = await phones.reveal(member, { caseId: record._id }, world.clock.now(), 'in-retried');
    expect(again).toMatchObject({ kind: 'shown', phone: PHONE });
    expect(await phones.of(record._id)).toHaveLength(1);
  });

  it('is for the monitoring contacts too, and is refused and not recorded for anyone else', async () => {
    const registered: CaseRecord = { ...record, procedure: { ...record.procedure, monitoringContacts: ['wangcadre'] } };
    expect(phones.groundOf(org.findStaff('wangcadre')!, registered)).toBe('monitoringContact');
    for (const userId of ['suncadre', 'zhaocadre', 'lisecretary', 'chentownship', 'liucounty', 'admin']) {
      expect(await phones.reveal(org.findStaff(userId)!, { caseId: record._id }, world.clock.now(), `in-${userId}`), userId).toMatchObject({ kind: 'notAllowed' });
    }
    expect(await phones.of(record._id)).toEqual([]);
  });
});
