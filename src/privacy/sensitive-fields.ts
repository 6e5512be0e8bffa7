/**
 * Where each piece of a case's procedure state and of its audit steps stands at rest: `sealed` (encrypted by the
 * Vault, src/privacy/case-sealer.ts) or `clear`. Sealed: income (人均纯收入) and every free text staff or villagers
 * type (notes, relief, objections and their resolutions, reasons, the names of a visiting team), since any of them
 * may hold health details or who said what about whom; who raised an objection; and money given as relief. Clear: what queries and listings need (stage, version,
 * village, dates, deadlines, statuses, ids, assignees, categories and flags).
 * A test fails when CaseSnapshot or a staff action gains a field that is not listed here.
 */
export type Exposure = 'sealed' | 'clear';

/**
 * Every field of the procedure state (src/procedure/case-snapshot.ts), by path: `a.b` inside an object,
 * `list[].b` in each element of a list. A list or record of values (`rejection.reasons`, `netIncomePerCapita`) is one field.
 * @example CASE_SNAPSHOT_FIELDS['objections[].summary'] === 'sealed'
 */
export const CASE_SNAPSHOT_FIELDS: Readonly<Record<string, Exposure>> = {
  id: 'clear',
  version: 'clear',
  stage: 'clear',
  villageCode: 'clear',
  source: 'clear',
  profileKey: 'clear',
  previousCaseId: 'clear',
  leadFoundOn: 'clear',
  'fastTrack.hardship': 'clear',
  'fastTrack.markedOn': 'clear',
  'fastTrack.note': 'sealed',
  'fastTrack.relief': 'sealed',
  // Money a household received is as personal as its income.
  'fastTrack.reliefAmount': 'sealed',
  'fastTrack.reliefOn': 'clear',
  'householdFlags.registers': 'clear',
  'householdFlags.noLabour': 'clear',
  netIncomePerCapita: 'sealed',
  'crossCheck.status': 'clear',
  'crossCheck.on': 'clear',
  'crossCheck.note': 'sealed',
  'crossCheck.exemptBy': 'clear',
  'notice.startsOn': 'clear',
  'notice.endsOn': 'clear',
  'objections[].id': 'clear',
  'objections[].raisedOn': 'clear',
  // A villager who objects to a neighbour's case must not be exposed by a database dump.
  'objections[].raisedBy': 'sealed',
  'objections[].summary': 'sealed',
  'objections[].status': 'clear',
  'objections[].resolvedOn': 'clear',
  'objections[].resolution': 'sealed',
  assignees: 'clear',
  monitoringContacts: 'clear',
  identifiedOn: 'clear',
  'assistancePlan.plannedOn': 'clear',
  // What a measure is and who carries it out may tell of an illness or a disability (大病医疗救助): sealed.
  'assistancePlan.measures': 'sealed',
  'assistancePlan.enteredOn': 'clear',
  'elimination.method': 'clear',
  'elimination.proposedOn': 'clear',
  'elimination.note': 'sealed',
  'elimination.householdAgreedOn': 'clear',
  'elimination.householdAgreedVia': 'clear',
  eliminatedOn: 'clear',
  'rejection.on': 'clear',
  'rejection.reasons': 'sealed',
  'deadlines.identification': 'clear',
  'deadlines.declarationAcceptance': 'clear',
  'deadlines.assistancePlan': 'clear',
  'deadlines.measureEntry': 'clear',
  'deadlines.rejectionNotice': 'clear',
};

/**
 * The fields of the staff actions (src/procedure/actions.ts; `type` and `caseVersion` aside), as they land in
 * an audit step's `data`. A name means the same thing in every action that has it.
 * @example ACTION_FIELDS.income === 'sealed'
 */
export const ACTION_FIELDS: Readonly<Record<string, Exposure>> = {
  assignees: 'clear',
  hardship: 'clear',
  note: 'sealed',
  relief: 'sealed',
  amount: 'sealed',
  givenOn: 'clear',
  verifiedBy: 'sealed',
  commitment: 'clear',
  authorization: 'clear',
  income: 'sealed',
  noLabour: 'clear',
  registers: 'clear',
  result: 'clear',
  summary: 'sealed',
  raisedBy: 'sealed',
  objectionId: 'clear',
  upheld: 'clear',
  reason: 'sealed',
  monitoringContacts: 'clear',
  measures: 'sealed',
  reasons: 'sealed',
  visitedOn: 'clear',
  verifiedGuarantees: 'clear',
  verifiedRisks: 'clear',
  otherReason: 'sealed',
  householdSize: 'clear',
  labour: 'clear',
  confirmed: 'clear',
  guaranteesStable: 'clear',
  risksGone: 'clear',
  enteredOn: 'clear',
  method: 'clear',
  agrees: 'clear',
  signedOn: 'clear',
  via: 'clear',
};

/**
 * What the steps themselves put in `data` besides the action's fields (openCase, handOver, the steps in
 * src/procedure/steps). `crossCheck` is the whole cross-check object, which can carry a note.
 */
export const STEP_DATA_FIELDS: Readonly<Record<string, Exposure>> = {
  source: 'clear',
  villageCode: 'clear',
  leadFoundOn: 'clear',
  previousCaseId: 'clear',
  fromUserId: 'clear',
  toUserId: 'clear',
  identifiedOn: 'clear',
  eliminatedOn: 'clear',
  notice: 'clear',
  objectionId: 'clear',
  crossCheck: 'sealed',
  heldBy: 'clear',
};

/** Whether a key of an audit step's `data` is kept in the clear; a key listed nowhere (say, a guard's detail) is sealed. */
export function eventDataKeyIsClear(key: string): boolean {
  const exposure = Object.hasOwn(ACTION_FIELDS, key) ? ACTION_FIELDS[key] : Object.hasOwn(STEP_DATA_FIELDS, key) ? STEP_DATA_FIELDS[key] : undefined;
  return exposure === 'clear';
}

/** The procedure-state paths that are sealed, e.g. "netIncomePerCapita", "objections[].summary". */
export const SEALED_SNAPSHOT_PATHS: readonly string[] = Object.entries(CASE_SNAPSHOT_FIELDS)
  .filter(([, exposure]) => exposure === 'sealed')
  .map(([path]) => path);
