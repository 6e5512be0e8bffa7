import type { CardClick, ChatHandler, ChatInput, Address, Outbound, TurnOutput } from '../channel/messages.js';
import { DEFAULT_LOCALE, type Locale, type Texts } from '../i18n/i18n.js';
import type { Org } from '../org/org.js';

/**
 * Answers what no flow or command handles: households get the household help text; staff on the
 * roster get the staff help text; a WeCom member the roster does not know is told whom to contact.
 */
export class HelpResponder implements ChatHandler {
  constructor(private readonly deps: { org: Org; texts: Texts }) {}

  async onText(input: ChatInput, locale: Locale = DEFAULT_LOCALE): Promise<TurnOutput> {
    return { replies: [this.help(input.from, locale)] };
  }

  async onUnsupported(from: Address): Promise<TurnOutput> {
    const known = this.staffOrUnknown(from);
    if (known) return { replies: [known] };
    return { replies: [{ type: 'text', text: this.deps.texts.t(DEFAULT_LOCALE, 'common:unsupportedMedia') }] };
  }

  async onCardClick(click: CardClick): Promise<TurnOutput> {
    return { replies: [this.staffOrUnknown(click.from) ?? { type: 'text', text: this.deps.texts.t(DEFAULT_LOCALE, 'common:cardExpired') }] };
  }

  private help(from: Address, locale: Locale): Outbound {
    const { texts } = this.deps;
    if (from.channel === 'kf') return { type: 'text', text: texts.t(locale, 'common:help.household') };
    const member = this.deps.org.findStaff(from.userId);
    if (!member) return this.unknown();
    return { type: 'text', text: texts.t(locale, 'common:help.staff', { name: member.name }) };
  }

  /** The unknown-sender answer for app users the roster lacks; undefined for everyone else. */
  private staffOrUnknown(from: Address): Outbound | undefined {
    return from.channel === 'app' && !this.deps.org.findStaff(from.userId) ? this.unknown() : undefined;
  }

  private unknown(): Outbound {
    const { name, phone } = this.deps.org.contact;
    return { type: 'text', text: this.deps.texts.t(DEFAULT_LOCALE, 'common:unknownSender', { contactName: name, contactPhone: phone }) };
  }
}
