import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { addressKey, type Address } from '../channel/messages.js';
import { maskIdNumber } from '../engine/validators/id-number.js';
import { mobile } from '../engine/validators/index.js';
import type { Org } from '../org/org.js';
import { selectProfile, shanghaiDate, type IsoDate, type PolicyProfile, type WorkCalendar } from '../policy/index.js';
import type { Locale } from '../i18n/i18n.js';
import type { Vault } from '../privacy/vault.js';
import type { LeadSource } from '../procedure/case-snapshot.js';
import { openCase } from '../procedure/open-case.js';
import type { Refusal } from '../procedure/refusals.js';
import { isOpenStage } from '../procedure/stages.js';
import { DuplicateKeyError } from '../stores/document-store.js';
import type { CaseAudit } from './case-audit.js';
import type { CaseRecord } from './case-record.js';
import type { CaseNumberSource } from './case-number.js';
import type { CaseRepository } from './case-repository.js';

/** What a household tells of itself, in the declaration or through the cadre who reports it (the engine has validated each one). */
export const householdAnswersSchema = z.object({
  householdHead: z.string().min(1),
  idNumber: z.string().length(18),
  phone: z.string().min(11),
  township: z.string(),
  village: z.string(),
  group: z.string().optional(),
  householdSize: z.number().int().positive(),
  riskTypes: z.array(z.string()).min(1),
  otherReason: z.string().optional(),
  basicGuarantees: z.array(z.string()).min(1),
  description: z.string().min(1),
});
export type HouseholdAnswers = z.infer<typeof householdAnswersSchema>;

/** The answers of flows/declaration.yaml that make a case. */
export const declarationAnswersSchema = householdAnswersSchema.extend({
  commitment: z.literal(true),
  authorization: z.literal(true),
});
export type DeclarationAnswers = z.infer<typeof declarationAnswersSchema>;

/**
 * A case to open: the household's answers, how the lead came in and who entered it.
 * @example { "source": "cadreCheck", "leadFoundOn": "2026-11-20", "openedBy": { "userId": "wangcadre" }, "declaredBy": "wangcadre",
 *   "declarant": { "channel": "app", "userId": "wangcadre" }, "commitment": { "at": "2026-11-21", "onPaper": true }, "answers": { … } }
 */
export interface Opening {
  answers: HouseholdAnswers;
  source: LeadSource;
  /** The day the risk was found (the 15-day clock starts then); today when not given. */
  leadFoundOn?: IsoDate;
  openedBy: { userId: string } | { system: string };
  declarant: Address;
  declaredBy?: string;
  /** The commitment and authorization, by chat (the instant) or on paper (the day signed); none while a found lead awaits it. */
  commitment?: { at: string; onPaper?: true };
  locale?: Locale;
  requestId?: string;
}

export type DeclareResult = { kind: 'created'; record: CaseRecord; profile: PolicyProfile } | { kind: 'duplicate'; record: CaseRecord };
/** DeclareResult, or the procedure's refusal to open a case a staff member entered (outside their villages, a date in the future). */
export type OpenResult = DeclareResult | { kind: 'refused'; refusal: Refusal };

export class DeclarationError extends Error {
  readonly code = 'DECLARATION.INVALID';
}

/** Another declaration for the same household is being saved this instant; the person is asked to send again. */
export class DeclarationBusyError extends Error {
  readonly code = 'DECLARATION.BUSY';
}

const MAX_NUMBER_TRIES = 5;
const PENDING_MARK_MS = 60_000;

/** Who opens a case from a self-declaration by chat (the audit trail's actor). */
export const DECLARATION_OPENER = { system: 'kf' } as const;

/**
 * Turns a finished self-declaration, or a lead a staff member entered for a household of their village
 * (上报线索, 代申报: see lead-reports.ts), into a case at stage `lead` (openCase): the 15-day identification
 * clock (the profile's limit) starts the day the risk was found, and the opening is the first audit record.
 * One open case per household: a second declaration for the same ID number returns the open case instead.
 * A household whose last case is closed (rejected, or its risk eliminated) is identified again: the new
 * case points back to the old one, whose history stays as it is.
 */
export class DeclarationService {
  constructor(
    private readonly deps: {
      repo: CaseRepository;
      caseAudit: CaseAudit;
      vault: Vault;
      org: Org;
      profiles: readonly PolicyProfile[];
      /** The profile a new case opens under (the deployment may name one); by area code (selectProfile) when not given. */
      chooseProfile?: (villageCode: string, today: IsoDate) => PolicyProfile;
      calendar: WorkCalendar;
      caseNumbers: CaseNumberSource;
      /** Told of the opening once the case is stored (e.g. to send the first step's cards); must be idempotent. */
      onStep?: (record: CaseRecord, actorUserId: string | undefined, now: Date) => Promise<void>;
    },
  ) {}

  /**
   * A household's own declaration by chat. `requestId` is the inbound message that submitted it: the same
   * submission coming back (a retry after a crash before the answer went out) finds its own case and is
   * answered as created, not as a duplicate. `locale`: the language the household chose, for its outcome notices.
   */
  async declare(raw: unknown, declarant: Address, now: Date, requestId?: string, locale?: Locale): Promise<DeclareResult> {
    const parsed = declarationAnswersSchema.safeParse(raw);
    if (!parsed.success) throw new DeclarationError(`declaration answers incomplete: ${parsed.error.issues.map((i) => i.path.join('.')).join(', ')}`);
    const { commitment: _c, authorization: _a, ...answers } = parsed.data;
    const at = now.toISOString();
    const result = await this.open(
      { answers, source: 'selfDeclaration', openedBy: DECLARATION_OPENER, declarant, commitment: { at }, ...(locale ? { locale } : {}), ...(requestId ? { requestId } : {}) },
      now,
    );
    if (result.kind === 'refused') throw new DeclarationError(`case not opened: ${result.refusal.reason}`);
    return result;
  }

  /** Opens a case at `lead` (see the class comment), unless the household has one open. */
  async open(o: Opening, now: Date): Promise<OpenResult> {
    const { answers, requestId } = o;
    const { repo, vault } = this.deps;
    const area = this.area(answers);
    const idNumberKey = vault.lookupKey('idNumber', answers.idNumber);

    const today = shanghaiDate(now);
    const profile = this.deps.chooseProfile?.(area.village, today) ?? selectProfile(this.deps.profiles, area.village, today);
    const open = await this.openCaseOf(idNumberKey, now);
    if (open && this.sameRequest(open, requestId)) {
      // The same submission again (a retry after a crash): what followed the opening may not have happened.
      await this.deps.onStep?.(open, undefined, now);
      return { kind: 'created', record: open, profile: this.profileOf(open) ?? profile };
    }
    if (open) return { kind: 'duplicate', record: open };

    const previous = await repo.latestOf(idNumberKey);
    const opened = openCase({
      caseId: randomUUID(),
      villageCode: area.village,
      source: o.source,
      ...(o.leadFoundOn ? { leadFoundOn: o.leadFoundOn } : {}),
      openedBy: o.openedBy,
      ...(o.declaredBy ? { declaredBy: o.declaredBy } : {}),
      ...(previous && !isOpenStage(previous.procedure.stage) ? { previous: previous.procedure } : {}),
      profile,
      org: this.deps.org,
      calendar: this.deps.calendar,
      now,
    });
    if (!opened.ok) return { kind: 'refused', refusal: opened };
    const at = now.toISOString();
    const unsealed: CaseRecord = {
      _id: opened.case.id,
      caseNumber: this.deps.caseNumbers(today),
      procedure: opened.case,
      auditHead: null,
      area,
      household: {
        head: answers.householdHead,
        size: answers.householdSize,
        idNumberSealed: vault.seal(answers.idNumber),
        idNumberKey,
        idNumberMasked: maskIdNumber(answers.idNumber),
        phoneSealed: vault.seal(answers.phone),
        phoneMasked: mobile.display!(answers.phone),
      },
      declaration: {
        riskTypes: answers.riskTypes,
        ...(answers.riskTypes.includes('other') && answers.otherReason ? { otherReasonSealed: vault.seal(answers.otherReason) } : {}),
        basicGuarantees: answers.basicGuarantees,
        descriptionSealed: vault.seal(answers.description),
        ...(o.commitment ? { commitmentAt: o.commitment.at, authorizationAt: o.commitment.at, ...(o.commitment.onPaper ? { onPaper: true as const } : {}) } : {}),
        declarant: o.declarant,
        declarantKey: addressKey(o.declarant),
        ...(o.declaredBy ? { declaredBy: o.declaredBy } : {}),
        ...(o.locale ? { locale: o.locale } : {}),
        ...(requestId ? { requestId } : {}),
      },
      createdAt: at,
      updatedAt: at,
    };
    const record = this.deps.caseAudit.withPending(unsealed, opened.event);

    // The mark is the lock: of two declarations racing for one household, only one inserts it.
    for (let inserted = false; !inserted; ) {
      try {
        await repo.openHouseholds.insert({ _id: idNumberKey, caseId: record._id, at });
        inserted = true;
      } catch (err) {
        if (!(err instanceof DuplicateKeyError)) throw err;
        const winner = await this.openCaseOf(idNumberKey, now);
        if (winner) return this.sameRequest(winner, requestId) ? { kind: 'created', record: winner, profile } : { kind: 'duplicate', record: winner };
      }
    }
    try {
      await this.insertWithFreshNumber(record, today);
    } catch (err) {
      await repo.openHouseholds.delete(idNumberKey);
      throw err;
    }
    const settled = await this.deps.caseAudit.settle(record);
    await this.deps.onStep?.(settled, undefined, now);
    return { kind: 'created', record: settled, profile };
  }

  /**
   * The open case of the household with this ID number, if any, asked while a declaration is still being
   * filled in (the flow's `openCase` check). A declaration for the household being saved this instant counts
   * as none here: `declare` settles it at the end.
   */
  async openCaseFor(idNumber: string, now: Date): Promise<CaseRecord | undefined> {
    try {
      return await this.openCaseOf(this.deps.vault.lookupKey('idNumber', idNumber), now);
    } catch (err) {
      if (err instanceof DeclarationBusyError) return undefined;
      throw err;
    }
  }

  private sameRequest(record: CaseRecord, requestId: string | undefined): boolean {
    return requestId !== undefined && record.declaration?.requestId === requestId;
  }

  private profileOf(record: CaseRecord): PolicyProfile | undefined {
    return this.deps.profiles.find((p) => `${p.id}@${p.version}` === record.procedure.profileKey);
  }

  /**
   * The open case marked for a household. A mark whose case is closed is removed; so is one whose case
   * never appeared (a crash between mark and case) once it is older than PENDING_MARK_MS. A younger one
   * means another declaration is being saved right now.
   */
  private async openCaseOf(idNumberKey: string, now: Date): Promise<CaseRecord | undefined> {
    const { repo } = this.deps;
    const mark = await repo.openHouseholds.get(idNumberKey);
    if (!mark) return undefined;
    const record = await repo.get(mark.caseId);
    if (record && isOpenStage(record.procedure.stage)) return record;
    if (!record && now.getTime() - Date.parse(mark.at) < PENDING_MARK_MS) throw new DeclarationBusyError('another declaration for this household is being saved');
    await repo.openHouseholds.delete(idNumberKey);
    return undefined;
  }

  private async insertWithFreshNumber(record: CaseRecord, today: string): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.deps.repo.insert(record);
        return;
      } catch (err) {
        if (!(err instanceof DuplicateKeyError) || attempt >= MAX_NUMBER_TRIES) throw err;
        record.caseNumber = this.deps.caseNumbers(today);
      }
    }
  }

  private area(answers: HouseholdAnswers): CaseRecord['area'] {
    const { org } = this.deps;
    const village = org.area(answers.village);
    const group = answers.group ? org.area(answers.group) : undefined;
    if (village?.level !== 'village' || village.parent !== answers.township) throw new DeclarationError('village is not in the chosen township');
    if (answers.group && group?.parent !== village.code) throw new DeclarationError('group is not in the chosen village');
    const county = org.lineage(village.code).find((a) => a.level === 'county');
    return { county: county?.code ?? '', township: answers.township, village: village.code, ...(group ? { group: group.code } : {}) };
  }
}
