import { randomBytes } from 'node:crypto';
import type { Org } from '../org/org.js';
import type { ActionInput, ActionType } from '../procedure/actions.js';
import type { CaseSnapshot } from '../procedure/case-snapshot.js';
import { isEliminationStage } from '../procedure/stages.js';
import { formFlowOf } from '../forms/form-actions.js';

/** An action without the case version: the version comes from the card's task id. */
export type ActionPayload = ActionInput extends infer A ? (A extends unknown ? Omit<A, 'caseVersion'> : never) : never;

/**
 * The buttons of a card; their `key` is returned as the click's EventKey. `fill` starts a step's form;
 * `objection` (on the close-notice card) starts the form recording an objection instead.
 */
export const CARD_CHOICES = ['agree', 'disagree', 'fill', 'objection'] as const;
export type CardChoice = (typeof CARD_CHOICES)[number];

/**
 * Extra buttons that start another step's form from a card: on the notice's last day, someone may still object
 * (登记异议) instead of the notice being closed.
 */
export const CARD_FORM_BUTTONS: Partial<Record<ActionType, readonly { choice: CardChoice; action: ActionType }[]>> = {
  closeNotice: [{ choice: 'objection', action: 'recordObjection' }],
};

/** The form a card's button starts: its own step's (开始填写), or an extra button's; undefined for a decision button. */
export function formOfClick(task: CardTask, choice: string): ActionType | undefined {
  if (choice === 'fill') return cardKind(task.action) === 'form' ? task.action : undefined;
  const extra = Object.hasOwn(CARD_FORM_BUTTONS, task.action) ? CARD_FORM_BUTTONS[task.action] : undefined;
  return extra?.find((b) => b.choice === choice)?.action;
}

/**
 * A decision that fits two buttons. `agree` builds the step 同意 takes (undefined: no card can be made now);
 * `disagree`, when the card has a second button, builds the step 不同意 takes, with the reason typed next
 * when `needsReason`.
 */
export interface CardDecision {
  agree(c: CaseSnapshot, org: Org): ActionPayload | undefined;
  disagree?: { needsReason: true; build(c: CaseSnapshot, reason: string): ActionPayload } | { needsReason: false; build(c: CaseSnapshot): ActionPayload };
}

/** Refusing at a decision step: identification ends the case; an elimination stops and the household stays monitored. */
const stop = (c: CaseSnapshot, reason: string): ActionPayload =>
  isEliminationStage(c.stage) ? { type: 'holdInMonitoring', reasons: [reason] } : { type: 'reject', reasons: [reason] };
const withReasonStop = { needsReason: true, build: stop } as const;

/** Up to three cadres of the village become monitoring contacts: the case's assignees, else the village's cadres. */
export function proposedContacts(c: CaseSnapshot, org: Org): string[] {
  const cadres = org.staffServing(c.villageCode, 'cadre').map((m) => m.userId);
  return (c.assignees.length > 0 ? c.assignees : cadres).slice(0, 3);
}

/**
 * The decisions staff take on a card (yes/no, or a plain confirmation). Steps that need a form (the home
 * visit's findings, an objection, the assistance plan, the household's dated signature) get a card whose one
 * button starts the form (form-actions.ts).
 */
export const CARD_DECISIONS: Partial<Record<ActionType, CardDecision>> = {
  acceptLead: { agree: () => ({ type: 'acceptLead' }), disagree: withReasonStop },
  recordCrossCheck: {
    agree: () => ({ type: 'recordCrossCheck', result: 'clear' }),
    disagree: { needsReason: true, build: (_c, note) => ({ type: 'recordCrossCheck', result: 'flagged', note }) },
  },
  recordAppraisal: { agree: () => ({ type: 'recordAppraisal' }), disagree: withReasonStop },
  closeNotice: { agree: () => ({ type: 'closeNotice' }) },
  townshipApprove: { agree: () => ({ type: 'townshipApprove' }), disagree: withReasonStop },
  countyApprove: { agree: () => ({ type: 'countyApprove' }), disagree: withReasonStop },
  register: {
    agree: (c, org) => {
      const monitoringContacts = proposedContacts(c, org);
      return monitoringContacts.length > 0 ? { type: 'register', monitoringContacts } : undefined;
    },
  },
  acceptEliminationProposal: { agree: () => ({ type: 'acceptEliminationProposal' }), disagree: withReasonStop },
};

/** What a card decides: a step on one version of one case. */
export interface CardTask {
  caseId: string;
  version: number;
  action: ActionType;
}

const TASK_ID = /^fp_([0-9A-Za-z-]{1,64})_(\d{1,9})_([A-Za-z]{1,40})_[0-9a-z]{1,16}$/;

/**
 * The card's task_id: `fp_<caseId>_<version>_<action>_<nonce>`, within WeCom's 128 chars of [0-9A-Za-z_-@].
 * The nonce keeps it unique per card sent, as WeCom refuses a task_id used before (42014) and the same
 * decision may be listed again, or to two people.
 * @example taskIdOf({ caseId: "5f0c6a2e-…", version: 5, action: "recordAppraisal" }) === "fp_5f0c6a2e-…_5_recordAppraisal_k3x9a1"
 */
export function taskIdOf(task: CardTask, nonce: string = randomBytes(5).toString('hex')): string {
  return `fp_${task.caseId}_${task.version}_${task.action}_${nonce}`;
}

/** The task a card's task_id stands for; undefined for ids this service did not make or actions without a card. */
export function parseTaskId(taskId: string): CardTask | undefined {
  const m = TASK_ID.exec(taskId);
  if (!m) return undefined;
  const action = m[3] as ActionType;
  if (!cardKind(action)) return undefined;
  return { caseId: m[1]!, version: Number(m[2]), action };
}

/** Whether a step is taken on a yes/no card, through a form (its card starts it), or has no card. */
export function cardKind(action: ActionType): 'decision' | 'form' | undefined {
  if (formFlowOf(action)) return 'form';
  return Object.hasOwn(CARD_DECISIONS, action) ? 'decision' : undefined;
}
