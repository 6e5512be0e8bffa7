import { canonicalJson } from '../audit/canonical-json.js';
import type { CaseSnapshot } from '../procedure/case-snapshot.js';
import type { Stage } from '../procedure/stages.js';
import type { TransitionEvent } from '../procedure/transition-event.js';
import { eventDataKeyIsClear, SEALED_SNAPSHOT_PATHS } from './sensitive-fields.js';
import type { Vault } from './vault.js';

/**
 * A case's procedure state as stored: the sealed fields (sensitive-fields.ts) with a value are taken out and kept,
 * with the case id and version they belong to, in one Vault-sealed `sealed` text; the rest stays as it is. A state
 * with nothing to seal yet (a new lead: no income, no text) has no `sealed`, and neither has one stored before sealing came in.
 * @example { "id": "c-1", "version": 9, "stage": "rejected", "villageCode": "430621101201", …,
 *   "objections": [{ "id": "obj-1", "raisedOn": "2026-11-24", "status": "open" }], "rejection": { "on": "2026-11-30" },
 *   "sealed": "v1.…" }
 * where `sealed` opens to { "caseId": "c-1", "version": 9, "fields": { "netIncomePerCapita": { "2026": 3210 },
 *   "objections.0.summary": "他家有车", "rejection.reasons": ["收入超标"] } }
 */
export type StoredProcedure = { [key: string]: unknown } & { id: string; version: number; stage: Stage; sealed?: string };

/**
 * An audit step as stored: its `data` keeps only the keys classified clear; the other keys and `reason` are in
 * `sealed`, sealed deterministically so the same step is always stored alike (an append retried after a crash).
 * @example { "caseId": "c-1", "action": "reject", "from": "townshipReview", "to": "rejected", "version": 9, …, "data": {},
 *   "sealed": "v1.…" }
 * where `sealed` opens to { "caseId": "c-1", "version": 9, "data": { "reasons": ["收入超标"] }, "reason": "收入超标" }
 */
export type StoredEvent = Omit<TransitionEvent, 'data' | 'reason'> & { data?: Record<string, unknown>; sealed?: string };

/** A stored sealed part that cannot be opened, belongs to another case or version, or sits beside its values in the clear. */
export class SealedDataError extends Error {
  readonly code = 'PRIVACY.SEALED_DATA';
}

type Path = (string | number)[];
type Json = { [key: string]: unknown };

/** Seals the sensitive parts of a case's procedure state and of its audit steps, and opens them again. */
export class CaseSealer {
  constructor(private readonly vault: Vault) {}

  sealProcedure(state: CaseSnapshot): StoredProcedure {
    const clear = structuredClone(state) as StoredProcedure;
    const fields: Json = {};
    for (const path of sensitivePlaces(clear)) {
      fields[path.join('.')] = valueAt(clear, path);
      removeAt(clear, path);
    }
    if (Object.keys(fields).length === 0) return clear;
    return { ...clear, sealed: this.vault.seal(canonicalJson({ caseId: state.id, version: state.version, fields })) };
  }

  /** The procedure state as it was sealed (still to be validated); a stored state without `sealed` is taken as it is. */
  openProcedure(stored: unknown): unknown {
    if (!isObject(stored) || stored.sealed === undefined) return stored;
    const { sealed, ...clear } = structuredClone(stored);
    if (sensitivePlaces(clear).length > 0) throw new SealedDataError('sensitive fields stored in the clear beside the sealed ones');
    const opened = this.openJson(sealed, clear.id, clear.version);
    if (!isObject(opened.fields)) throw new SealedDataError('sealed part holds no fields');
    for (const [key, value] of Object.entries(opened.fields)) setAt(clear, key.split('.').map((s) => (/^\d+$/.test(s) ? Number(s) : s)), value);
    return clear;
  }

  sealEvent(event: TransitionEvent): StoredEvent {
    const { data, reason, ...rest } = event;
    const clearData: Json = {};
    const hidden: Json = {};
    for (const [key, value] of Object.entries(data ?? {})) if (value !== undefined) (eventDataKeyIsClear(key) ? clearData : hidden)[key] = value;
    const secret = { ...(Object.keys(hidden).length > 0 ? { data: hidden } : {}), ...(reason !== undefined ? { reason } : {}) };
    const sealed = Object.keys(secret).length > 0 ? this.vault.sealDeterministic(canonicalJson({ caseId: event.caseId, version: event.version, ...secret })) : undefined;
    return { ...rest, ...(data !== undefined ? { data: clearData } : {}), ...(sealed !== undefined ? { sealed } : {}) };
  }

  /** The step as it was sealed; a stored step without `sealed` is taken as it is. */
  openEvent(stored: StoredEvent): TransitionEvent {
    const { sealed, ...clear } = stored;
    if (sealed === undefined) return clear;
    const opened = this.openJson(sealed, clear.caseId, clear.version);
    return {
      ...clear,
      ...(isObject(opened.data) ? { data: { ...clear.data, ...opened.data } } : {}),
      ...(typeof opened.reason === 'string' ? { reason: opened.reason } : {}),
    };
  }

  private openJson(sealed: unknown, caseId: unknown, version: unknown): Json {
    let opened: unknown;
    try {
      opened = JSON.parse(this.vault.open(String(sealed)));
    } catch (err) {
      throw new SealedDataError(`sealed part cannot be opened: ${err instanceof Error ? err.message : String(err)}`);
    }
    if (!isObject(opened) || opened.caseId !== caseId || opened.version !== version) throw new SealedDataError('sealed part belongs to another case or version');
    return opened;
  }
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Where the state holds a sealed field with a value: `objections[].summary` once per objection; `{}` and `[]` hold nothing. */
function sensitivePlaces(state: Json): Path[] {
  return SEALED_SNAPSHOT_PATHS.flatMap((pattern) => placesOf(state, pattern.split('.'), [])).filter((path) => !isEmpty(valueAt(state, path)));
}

function placesOf(node: unknown, segments: string[], at: Path): Path[] {
  const [head, ...rest] = segments;
  if (head === undefined || !isObject(node)) return [];
  const list = head.endsWith('[]');
  const key = list ? head.slice(0, -2) : head;
  if (!Object.hasOwn(node, key) || node[key] === undefined) return [];
  const value = node[key];
  if (list && rest.length > 0) return Array.isArray(value) ? value.flatMap((item, i) => placesOf(item, rest, [...at, key, i])) : [];
  return rest.length === 0 ? [[...at, key]] : placesOf(value, rest, [...at, key]);
}

function isEmpty(value: unknown): boolean {
  return value === null || (Array.isArray(value) ? value.length === 0 : isObject(value) && Object.keys(value).length === 0);
}

function valueAt(root: unknown, path: Path): unknown {
  return path.reduce<unknown>((node, key) => (typeof node === 'object' && node !== null ? (node as Record<string | number, unknown>)[key] : undefined), root);
}

function removeAt(root: Json, path: Path): void {
  delete (valueAt(root, path.slice(0, -1)) as Record<string | number, unknown>)[path.at(-1)!];
}

function setAt(root: Json, path: Path, value: unknown): void {
  const parent = valueAt(root, path.slice(0, -1));
  if (typeof parent !== 'object' || parent === null) throw new SealedDataError(`sealed field ${path.join('.')} has no place in the stored state`);
  (parent as Record<string | number, unknown>)[path.at(-1)!] = value;
}
