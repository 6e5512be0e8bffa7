import type { CaseRecord } from '../cases/case-record.js';
import { phoneTaskId } from '../cases/phone-disclosures.js';
import type { Locale } from '../i18n/i18n.js';
import type { Org } from '../org/org.js';
import type { ButtonCard } from '../wecom/api.js';
import { placeOf } from './decision-card-view.js';
import type { StaffTexts } from './staff-texts.js';

/** The card's button key: a tap asks for the phone of the card's case. */
export const PHONE_BUTTON = 'phone';

/**
 * A 查看电话 card, sent with the new-declaration notice to the village's cadres. It holds no number, not even
 * masked: the number comes in a reply to the one who taps, and each tap is recorded (PhoneDisclosures).
 */
export function phoneCard(input: { record: CaseRecord; org: Org; staff: StaffTexts; locale: Locale }): ButtonCard {
  const { record, org, staff, locale } = input;
  return {
    card_type: 'button_interaction',
    source: { desc: staff.t(locale, 'card.source') },
    main_title: { title: staff.t(locale, 'phone.cardTitle'), desc: staff.t(locale, 'card.caseNumber', { caseNumber: record.caseNumber }) },
    sub_title_text: staff.t(locale, 'phone.cardPrompt'),
    horizontal_content_list: [
      { keyname: staff.t(locale, 'card.head'), value: record.household.head },
      { keyname: staff.t(locale, 'card.place'), value: placeOf(org, record) },
    ],
    task_id: phoneTaskId(record._id),
    button_list: [{ text: staff.t(locale, 'phone.button'), style: 1, key: PHONE_BUTTON }],
  };
}
