import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { CaseRepository } from '../cases/case-repository.js';
import { maskIdNumber } from '../engine/validators/id-number.js';
import { idNumber as idNumberValidator } from '../engine/validators/id-number.js';
import { personName } from '../engine/validators/index.js';
import type { Org } from '../org/org.js';
import { readKeyGroup, type PolicyProfile } from '../policy/index.js';
import type { Vault } from '../privacy/vault.js';
import { readCsv } from './csv.js';
import type { HouseholdRegister, RegisteredHousehold } from './household-register.js';

/** Column headers a register may use, by field (Chinese as township spreadsheets head them, or English). */
const HEADERS: Record<RowField, readonly string[]> = {
  head: ['户主姓名', '户主', '姓名', 'head', 'headname'],
  idNumber: ['身份证号', '身份证号码', '户主身份证号', '户主证件号码', '证件号码', 'idnumber', 'id'],
  village: ['村', '村(社区)', '村（社区）', '行政村', 'village'],
  group: ['组', '村民小组', '小组', 'group'],
  category: ['类别', '重点对象类别', '对象类别', '重点人群', 'category', 'keygroup'],
};
type RowField = 'head' | 'idNumber' | 'village' | 'group' | 'category';

/** One bad row (or a missing column, line 1): the file's line, the column, and what is wrong, in words for the clerk. */
export interface RegisterProblem {
  line: number;
  field: RowField | 'file';
  problem: string;
}

/**
 * What an import did: rows written (new households), households already known (matched to a case or an earlier
 * register row, their key groups added), or, when any row is bad, nothing written and every bad row named.
 * @example { "ok": true, "importId": "reg-…", "created": 2, "matched": [{ "line": 4, "with": "case", "caseNumber": "20261122-0001" }] }
 */
export type RegisterImportResult =
  | { ok: true; importId: string; created: number; matched: { line: number; with: 'case' | 'register'; caseNumber?: string }[] }
  | { ok: false; problems: RegisterProblem[] };

/** A row once checked. */
interface GoodRow {
  line: number;
  head: string;
  idNumber: string;
  area: RegisteredHousehold['area'];
  keyGroups: string[];
}

/**
 * Imports a register of key-group households (CSV with a header row: 户主姓名, 身份证号, 村, 组, 类别). Every row is
 * checked (a name, an ID number with its GB 11643 check character, a village of the importer's areas, a group
 * of that village, key groups of the village's profile: several may be written 大病重病、重度残疾); any bad row
 * means nothing is written. A household already known by its ID number is matched, not added twice.
 */
export class RegisterImport {
  constructor(
    private readonly deps: {
      register: HouseholdRegister;
      cases: CaseRepository;
      vault: Vault;
      org: Org;
      /** The profile a village's checks run under (the county's, as new cases open). */
      profileFor: (villageCode: string, now: Date) => PolicyProfile;
    },
  ) {}

  /** `scopes`: the area codes the importer may write (their own areas; the county for the clerk). */
  async importCsv(text: string, scopes: readonly string[], by: string, now: Date): Promise<RegisterImportResult> {
    return this.importRows(readCsv(text), scopes, by, now);
  }

  async importRows(rows: { line: number; cells: string[] }[], scopes: readonly string[], by: string, now: Date): Promise<RegisterImportResult> {
    const [header, ...body] = rows;
    if (!header) return { ok: false, problems: [{ line: 1, field: 'file', problem: '文件是空的：第一行应为表头（户主姓名,身份证号,村,组,类别）' }] };
    const columns = this.columns(header.cells);
    const missing = (['head', 'idNumber', 'village', 'category'] as const).filter((f) => columns[f] === undefined);
    if (missing.length) return { ok: false, problems: missing.map((f) => ({ line: header.line, field: f, problem: `缺少“${HEADERS[f][0]}”列` })) };
    if (body.length === 0) return { ok: false, problems: [{ line: header.line, field: 'file', problem: '表头下没有任何农户' }] };

    const problems: RegisterProblem[] = [];
    const good: GoodRow[] = [];
    const seen = new Map<string, number>();
    for (const row of body) {
      const cell = (f: RowField) => (columns[f] === undefined ? '' : (row.cells[columns[f]!] ?? '').trim());
      const checked = this.checkRow(row.line, { head: cell('head'), idNumber: cell('idNumber'), village: cell('village'), group: cell('group'), category: cell('category') }, scopes, now);
      if ('problems' in checked) {
        problems.push(...checked.problems);
        continue;
      }
      const earlier = seen.get(checked.idNumber);
      if (earlier !== undefined) problems.push({ line: row.line, field: 'idNumber', problem: `与第${earlier}行是同一身份证号` });
      else {
        seen.set(checked.idNumber, row.line);
        good.push(checked);
      }
    }
    if (problems.length) return { ok: false, problems };
    return this.write(good, by, now);
  }

  private columns(cells: string[]): Partial<Record<RowField, number>> {
    const norm = (s: string) => s.replace(/\s+/g, '').toLowerCase();
    const out: Partial<Record<RowField, number>> = {};
    for (const field of Object.keys(HEADERS) as RowField[]) {
      const index = cells.findIndex((c) => HEADERS[field].includes(norm(c)));
      if (index >= 0) out[field] = index;
    }
    return out;
  }

  private checkRow(line: number, raw: Record<RowField, string>, scopes: readonly string[], now: Date): GoodRow | { problems: RegisterProblem[] } {
    const { org } = this.deps;
    const problems: RegisterProblem[] = [];
    const bad = (field: RowField, problem: string) => problems.push({ line, field, problem });
    const parsed = rowSchema.safeParse(raw);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) bad(issue.path[0] as RowField, issue.message);
      return { problems };
    }
    const name = personName.validate(raw.head, {}, now);
    if (!name.ok) bad('head', '户主姓名不像姓名（2–20个汉字或字母）');
    const id = idNumberValidator.validate(raw.idNumber, {}, now);
    if (!id.ok) bad('idNumber', ID_PROBLEMS[id.reason] ?? '身份证号不对');
    const village = this.village(raw.village);
    if (!village) bad('village', `没有“${raw.village}”这个村`);
    else if (!scopes.some((s) => org.contains(s, village))) bad('village', `“${org.placeName(village)}”不在您管辖的范围内`);
    const group = village && raw.group ? org.children(village).find((g) => g.code === raw.group || g.name === raw.group || g.name === `${raw.group}组`) : undefined;
    if (village && raw.group && !group) bad('group', `${org.area(village)?.name ?? ''}没有“${raw.group}”`);
    const keyGroups: string[] = [];
    if (village) {
      const profile = this.deps.profileFor(village, now);
      for (const word of raw.category.split(/[、,，;；/|]+/).map((w) => w.trim()).filter(Boolean)) {
        const found = readKeyGroup(profile, word);
        if (found) keyGroups.push(found);
        else bad('category', profile.keyGroups ? `“${word}”不是${profile.name}的重点对象类别（可用：${profile.keyGroups.groups.map((g) => g.label).join('、')}）` : `${profile.name}没有列出重点对象类别`);
      }
    }
    if (problems.length || !village || !name.ok || !id.ok) return { problems };
    const township = org.lineage(village).find((a) => a.level === 'township')!.code;
    return {
      line,
      head: name.value,
      idNumber: id.value,
      area: { county: org.file.county.code, township, village, ...(group ? { group: group.code } : {}) },
      keyGroups: [...new Set(keyGroups)],
    };
  }

  /** A village by its code or its name (a name shared by two villages must be given as the code). */
  private village(text: string): string | undefined {
    const { org } = this.deps;
    if (org.area(text)?.level === 'village') return text;
    const named = org.descendants(org.file.county.code, 'village').filter((v) => v.name === text || org.placeName(v.code) === text);
    return named.length === 1 ? named[0]!.code : undefined;
  }

  /** All rows are good: new households are inserted, known ones get the new key groups and this import as a source. */
  private async write(rows: GoodRow[], by: string, now: Date): Promise<RegisterImportResult> {
    const { register, cases, vault } = this.deps;
    const importId = `reg-${randomUUID()}`;
    const at = now.toISOString();
    const matched: { line: number; with: 'case' | 'register'; caseNumber?: string }[] = [];
    let created = 0;
    for (const row of rows) {
      const key = vault.lookupKey('idNumber', row.idNumber);
      const source = { importId, by, at, line: row.line };
      const known = await register.get(key);
      const kase = await cases.latestOf(key);
      if (kase) matched.push({ line: row.line, with: 'case', caseNumber: kase.caseNumber });
      else if (known) matched.push({ line: row.line, with: 'register' });
      else created++;
      if (known) {
        await register.households.put({ ...known, keyGroups: [...new Set([...known.keyGroups, ...row.keyGroups])], sources: [...known.sources, source], updatedAt: at });
      } else {
        await register.households.put({
          _id: key,
          head: row.head,
          idNumberSealed: vault.seal(row.idNumber),
          idNumberMasked: maskIdNumber(row.idNumber),
          area: row.area,
          keyGroups: row.keyGroups,
          sources: [source],
          createdAt: at,
          updatedAt: at,
        });
      }
    }
    return { ok: true, importId, created, matched };
  }
}

const rowSchema = z.object({
  head: z.string().min(1, '户主姓名是空的'),
  idNumber: z.string().min(1, '身份证号是空的'),
  village: z.string().min(1, '村是空的'),
  group: z.string(),
  category: z.string().min(1, '类别是空的'),
});

const ID_PROBLEMS: Record<string, string> = {
  'idNumber.length': '身份证号应为18位',
  'idNumber.format': '身份证号应为17位数字加1位数字或X',
  'idNumber.date': '身份证号中的出生日期不对',
  'idNumber.checkDigit': '身份证号校验位不对（可能有一位抄错了）',
};
