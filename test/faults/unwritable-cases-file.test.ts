import { renameSync, symlinkSync, unlinkSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CaseRecord } from '../../src/cases/case-record.js';
import { EmbeddedDocumentStore } from '../../src/stores/document-store.embedded.js';
import { householdSays } from '../helpers/staff-chat.js';
import { startTestService, type TestService } from '../helpers/test-app.js';

const UP_TO_REVIEW = ['申报', '张德福', '430621195805121238', '13812345678', '1', '1', '1', '3', '1', '6', '老伴生病住院，每月自付两千多元。', '说完了', '是', '是'];

let svc: TestService | undefined;
let dataDir: string;
afterEach(async () => {
  await svc?.close();
  svc = undefined;
  rmSync(dataDir, { recursive: true, force: true });
});

/** The cases datafile made unwritable for real (root ignores file modes): it now points at /dev/full, where every write fails. */
function breakCasesFile(): () => void {
  const file = join(dataDir, 'cases.db');
  renameSync(file, `${file}.kept`);
  symlinkSync('/dev/full', file);
  return () => {
    unlinkSync(file);
    renameSync(`${file}.kept`, file);
  };
}

describe('a declaration submitted while the cases file cannot be written', () => {
  it('leaves no case in memory or on disk, tells the household to try again, and one case results once the disk is back', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'fpfp-unwritable-'));
    svc = await startTestService({ dataDir });
    for (const text of UP_TO_REVIEW) await householdSays(svc, 'wmHousehold01', text);

    const repair = breakCasesFile();
    for (let attempt = 0; attempt < 3; attempt++) {
      const said = await householdSays(svc, 'wmHousehold01', '1');
      expect(said.join('\n')).toContain('没有提交成功');
      expect(await svc.docs.collection<CaseRecord>('cases').count({})).toBe(0);
      expect(await svc.docs.collection('openHouseholds').count({})).toBe(0);
    }
    // Nobody was told of a case that does not exist.
    expect(svc.fake.appMessages).toEqual([]);

    repair();
    const submitted = await householdSays(svc, 'wmHousehold01', '1');
    expect(submitted.join('\n')).toContain('申报已提交');
    const told = /案件编号：(\d{8}-\d{4})/.exec(submitted.join('\n'))![1];
    expect(await svc.docs.collection<CaseRecord>('cases').count({})).toBe(1);

    // A graceful stop writes out what the store holds: one case, not one per try.
    await svc.close();
    svc = undefined;
    const reopened = await EmbeddedDocumentStore.open({ dir: dataDir });
    expect((await reopened.collection<CaseRecord>('cases').find({})).map((c) => c.caseNumber)).toEqual([told]);
    await reopened.close();
  });
});
