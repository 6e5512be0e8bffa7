import type { CaseRecord } from '../cases/case-record.js';
import type { Locale } from '../i18n/i18n.js';
import type { Org } from '../org/org.js';
import type { PendingDecision } from '../procedure/pending.js';
import { maskName } from '../privacy/mask-name.js';
import type { ButtonCard } from '../wecom/api.js';
import { CARD_DECISIONS, CARD_FORM_BUTTONS, cardKind, proposedContacts, taskIdOf, type CardChoice } from './decision-cards.js';
import type { StaffTexts } from './staff-texts.js';

/** Decisions on an identification taken after its cross-check may have found something. */
const WEIGHS_CROSS_CHECK: ReadonlySet<string> = new Set(['recordAppraisal', 'closeNotice', 'townshipApprove', 'countyApprove']);

/** Where the household lives, by area names: 青山镇桃源村一组. */
export function placeOf(org: Org, record: CaseRecord): string {
  return org.placeName(record.area.group ?? record.area.village);
}

/**
 * A button_interaction card for one pending decision (wecom-channel.md §7.1). It shows the household head's
 * name masked and the address only: no ID or phone number, not even masked, as cards stay in chat histories.
 */
export function decisionCard(input: { record: CaseRecord; pending: PendingDecision; org: Org; staff: StaffTexts; locale: Locale }): ButtonCard {
  const { record, pending, org, staff, locale } = input;
  const { action, stage } = pending;
  const decision = Object.hasOwn(CARD_DECISIONS, action) ? CARD_DECISIONS[action] : undefined;
  const own: CardChoice[] = cardKind(action) === 'form' ? ['fill'] : decision?.disagree ? ['agree', 'disagree'] : ['agree'];
  const choices: CardChoice[] = [...own, ...(CARD_FORM_BUTTONS[action] ?? []).map((b) => b.choice)];
  const facts = [
    { keyname: staff.t(locale, 'card.head'), value: maskName(record.household.head) },
    { keyname: staff.t(locale, 'card.place'), value: placeOf(org, record) },
    ...(pending.dueOn ? [{ keyname: staff.t(locale, 'card.due'), value: staff.due(locale, pending) ?? '' }] : []),
    ...(pending.standsInFor ? [{ keyname: staff.t(locale, 'standIn.label'), value: standInWhy(staff, locale, pending.standsInFor) }] : []),
    ...(action === 'register' ? [{ keyname: staff.t(locale, 'card.contacts'), value: contactNames(org, record).join(locale === 'en' ? ', ' : '、') }] : []),
    // A cross-check that found something is in front of whoever decides next (its note stays off the card: it may be personal).
    ...(WEIGHS_CROSS_CHECK.has(action) && record.procedure.crossCheck.status === 'flagged'
      ? [{ keyname: staff.t(locale, 'card.crossCheck'), value: staff.t(locale, 'card.crossCheckFlagged') }]
      : []),
  ];
  return {
    card_type: 'button_interaction',
    source: { desc: staff.t(locale, 'card.source') },
    main_title: { title: staff.cardTitle(locale, action, stage, pending.decides), desc: staff.t(locale, 'card.caseNumber', { caseNumber: record.caseNumber }) },
    sub_title_text: staff.cardPrompt(locale, action, pending.decides),
    horizontal_content_list: facts,
    task_id: taskIdOf({ caseId: record._id, version: record.procedure.version, action }),
    button_list: choices.map((choice) => ({ text: staff.button(locale, action, choice), style: choice === 'disagree' || choice === 'objection' ? 2 : 1, key: choice })),
  };
}

/** Why someone stands in for a step: 本地无人担任村支部书记、乡镇审核人. */
export function standInWhy(staff: StaffTexts, locale: Locale, roles: readonly string[]): string {
  return staff.t(locale, 'standIn.why', { roles: roles.map((r) => staff.t(locale, `role.${r}`)).join(locale === 'en' ? ' or ' : '、') });
}

function contactNames(org: Org, record: CaseRecord): string[] {
  return proposedContacts(record.procedure, org).map((id) => org.findStaff(id)?.name ?? id);
}
