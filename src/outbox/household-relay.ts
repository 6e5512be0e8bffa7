import type { CaseAudit } from '../cases/case-audit.js';
import type { CaseRepository } from '../cases/case-repository.js';
import type { Outbound } from '../channel/messages.js';
import { DEFAULT_LOCALE, type Texts } from '../i18n/i18n.js';
import type { Org } from '../org/org.js';
import { maskNumbers } from '../privacy/mask-numbers.js';
import type { HouseholdCase, RelayText } from './household-routes.js';

/**
 * A case as a relay needs it: its monitoring contacts (else the village's cadres, who know the household), the
 * head and place as cards show them, and who took the step the message reports (the case's last audit step).
 */
export function householdCaseLookup(deps: { repo: CaseRepository; caseAudit: CaseAudit; org: Org }): (caseId: string) => Promise<HouseholdCase | undefined> {
  return async (caseId) => {
    const record = await deps.repo.get(caseId);
    if (!record) return undefined;
    const { monitoringContacts, villageCode } = record.procedure;
    const contacts = monitoringContacts.length > 0 ? monitoringContacts : deps.org.staffServing(villageCode, 'cadre').map((m) => m.userId);
    const sender = (await deps.caseAudit.lastEvent(record))?.actor.userId;
    return {
      contacts,
      ...(sender ? { sender } : {}),
      caseNumber: record.caseNumber,
      head: record.household.head,
      place: deps.org.placeName(record.area.group ?? record.area.village),
    };
  };
}

/** The request to pass a household's messages on: what it was sent, numbers masked (a contact sees no more than on a card). */
export function relayText(texts: Texts): RelayText {
  return (household, messages) => {
    const said = messages.map((m) => (m.type === 'card' ? '' : m.text)).filter((t) => t !== '');
    const message = maskNumbers(said.join('\n'));
    return [{ type: 'text', text: texts.t(DEFAULT_LOCALE, 'staff:relayToContact', { head: household.head, place: household.place, caseNumber: household.caseNumber, message }) } satisfies Outbound];
  };
}
