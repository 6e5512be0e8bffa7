import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CaseRecord } from '../../src/cases/case-record.js';
import { createVault, parseDataKey } from '../../src/privacy/vault.js';
import { openChatWorld, playScript, type ChatWorld } from '../helpers/chat-script.js';
import { TEST_DATA_KEY } from '../helpers/test-app.js';

const ID = '430621195805121238';
const PHONE = '13812345678';
const ILLNESS = '尿毒症';
const DECLARATION = ['> 申报', '> 张德福', `> ${ID}`, `> ${PHONE}`, '> 1', '> 1', '> 1', '> 3', '> 1', '> 6', `> 老伴${ILLNESS}每周透析。`, '> 说完了', '> 是', '> 是', '> 1'];

/** What a database dump holds: every file of the embedded store, and every value in the state store. */
async function dump(world: ChatWorld): Promise<string> {
  const files = readdirSync(world.dataDir).map((f) => readFileSync(join(world.dataDir, f), 'utf8'));
  const keys = await world.state.keys('');
  const values = await Promise.all(keys.map((k) => world.state.get(k)));
  return [...files, ...keys, ...values].join('\n');
}

describe('personal data of a declaration', () => {
  let world: ChatWorld;
  beforeEach(async () => {
    world = await openChatWorld();
  });
  afterEach(async () => world.close());

  it('never lies in the stores in the clear, mid-conversation or after the case is made', async () => {
    await playScript(world, DECLARATION.slice(0, 11).join('\n'));
    const midway = await dump(world);
    expect(midway).toContain('conv:');
    for (const secret of [ID, PHONE, ILLNESS]) expect(midway).not.toContain(secret);

    await playScript(world, DECLARATION.slice(11).join('\n'));
    const after = await dump(world);
    expect(after).toContain('20261122-0001');
    for (const secret of [ID, PHONE, ILLNESS]) expect(after).not.toContain(secret);
  });

  it('can be read back with the data key, and only with it', async () => {
    await playScript(world, DECLARATION.join('\n'));
    const [record] = await world.docs.collection<CaseRecord>('cases').find({});
    const vault = createVault(parseDataKey(TEST_DATA_KEY));
    expect(vault.open(record!.household.idNumberSealed)).toBe(ID);
    expect(vault.open(record!.household.phoneSealed)).toBe(PHONE);
    expect(record!.household.idNumberKey).toBe(vault.lookupKey('idNumber', ID));
    const otherKey = createVault(Buffer.alloc(32, 7));
    expect(() => otherKey.open(record!.household.idNumberSealed)).toThrow(/cannot be opened/);
  });

  it('never appears in logs or staff messages unmasked', async () => {
    const transcript = await playScript(world, DECLARATION.join('\n'));
    const staffLines = transcript.split('\n').filter((l) => l.startsWith('@'));
    expect(staffLines.length).toBeGreaterThan(0);
    const staffText = transcript.slice(transcript.indexOf('\n@'));
    expect(staffText).toContain('4306**********1238');
    expect(staffText).toContain('138****5678');
    for (const secret of [ID, PHONE]) expect(staffText).not.toContain(secret);
    const logs = world.logs.join('');
    expect(logs).toContain('case created from a self-declaration');
    for (const secret of [ID, PHONE, ILLNESS, '张德福']) expect(logs).not.toContain(secret);
  });

  it('is not shown to another household asking 进度, and a second account learns nothing about the open case', async () => {
    await playScript(world, DECLARATION.join('\n'));
    const transcript = await playScript(world, ['> 进度', ...DECLARATION].join('\n'), 'wmStranger');
    // What the stranger sees: not the staff notices, and not staff continuation lines.
    const other = transcript.split('\n@')[0]!;
    expect(other).toContain('没有查到您在这里提交的申报');
    expect(other).toContain('这户已经有一件正在办理的申报');
    expect(other).not.toContain('20261122-0001');
  });

  it('makes one case when the same household is declared twice at the same moment', async () => {
    await playScript(world, DECLARATION.slice(0, -1).join('\n'), 'wmA');
    await playScript(world, DECLARATION.slice(0, -1).join('\n'), 'wmB');
    const [a, b] = await Promise.all([playScript(world, '> 1', 'wmA'), playScript(world, '> 1', 'wmB')]);
    expect(await world.docs.collection('cases').count({})).toBe(1);
    expect([a, b].filter((t) => t.includes('申报已提交'))).toHaveLength(1);
    expect([a, b].filter((t) => t.includes('这户已经有一件正在办理的申报'))).toHaveLength(1);
  });
});
