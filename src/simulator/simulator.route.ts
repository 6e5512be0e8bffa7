import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import type { Org } from '../org/org.js';
import { naturalDaysBetween, shanghaiDate } from '../policy/dates.js';
import { DAY_MS } from '../shared/clock.js';
import type { CallbackCrypto } from '../wecom/crypto.js';
import { CallbackClient, CallbackPostError } from './callback-client.js';
import type { FakeWeComState } from './fake-wecom-state.js';
import { SIM_OPEN_KFID, findHousehold, listIdentities } from './identities.js';
import { registerSimulatorPage } from './simulator-page.js';
import { Transcripts, type SimParty } from './transcripts.js';

export interface SimulatorOptions {
  /** The built-in WeCom stand-in the service talks to. */
  fake: FakeWeComState;
  /** The service's callback crypto: the simulator signs and encrypts exactly like WeCom. */
  crypto: CallbackCrypto;
  agentId: number;
  org: Org;
  /** Origin of the service's own HTTP server; by default read from the listening socket at request time. */
  serviceUrl?: () => string;
  now?: () => Date;
  /**
   * The clock the whole process runs on, when time may be moved (local mode): the page shows its date and
   * `POST /simulator/clock` moves it forward. Without it there is no clock route at all.
   */
  clock?: SimulatedClock;
  /**
   * Called after each 快进, before the answer: the service runs what its scheduler would have run on the new
   * date (the day's reminders), so the page shows them at once.
   */
  clockMoved?: () => Promise<void>;
}

/** A clock that can be moved forward (AdjustableClock in local mode; ManualClock in tests). */
export interface SimulatedClock {
  now(): Date;
  advance(ms: number): void;
}

/** How many passive replies /simulator/sent keeps (the newest). */
const MAX_PASSIVE_REPLIES = 1000;

/** The most days one 快进 moves (a whole case, objections and all, fits in far less). */
export const MAX_ADVANCE_DAYS = 60;

const message = z.string().trim().min(1).max(2048);
const householdBody = z.strictObject({ externalUserId: z.string().min(1), text: message, menuId: z.string().min(1).max(64).optional() });
const staffBody = z.strictObject({ userId: z.string().min(1), text: message });
const clickBody = z.strictObject({ userId: z.string().min(1), taskId: z.string().min(1), eventKey: z.string().min(1) });
const clockBody = z.strictObject({ days: z.number().int().min(1).max(MAX_ADVANCE_DAYS) });
const transcriptQuery = z.strictObject({ channel: z.enum(['app', 'kf']), id: z.string().min(1) });

/** A loopback origin for the address the app listens on (a wildcard bind is reached through loopback). */
export function loopbackOrigin(address: AddressInfo | string | null): string {
  if (address === null || typeof address === 'string') throw new Error('the service is not listening on a TCP port');
  const host = address.address === '0.0.0.0' || address.address === '::' ? '127.0.0.1' : address.address;
  return `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
}

/** Routes the page polls every 600 ms stay out of the info log (2 lines a poll would be thousands an hour); warnings still show. */
const POLLED = { logLevel: 'warn' } as const;

function badRequest(reply: FastifyReply, error: z.ZodError): FastifyReply {
  return reply.code(400).send({ error: 'BAD_REQUEST', issues: error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`) });
}

/**
 * Local mode only: the chat simulator. People chat through the REAL callback endpoint with REAL
 * crypto (the simulator plays WeCom's part), and watch what the bot sends through the fake API.
 *
 * - `GET  /simulator`                   the chat page
 * - `GET  /simulator/identities`        demo households and the staff roster
 * - `GET  /simulator/transcript?channel=kf|app&id=…`  one person's transcript
 * - `POST /simulator/household/messages` `{ externalUserId, text, menuId? }` a 微信客服 text or menu tap
 * - `POST /simulator/staff/messages`     `{ userId, text }` an app text (passive reply included in the answer)
 * - `POST /simulator/staff/card-clicks`  `{ userId, taskId, eventKey }` a template-card button tap
 * - `GET  /simulator/sent`               everything the bot sent (raw WeCom bodies; replies given passively in the
 *                                        callback's answer under `passiveReplies`)
 * - `GET  /simulator/clock`, `POST /simulator/clock` `{ days }`  the simulated date, and 快进 (only with `clock`)
 */
export function simulatorRoutes(opts: SimulatorOptions) {
  return async (app: FastifyInstance): Promise<void> => {
    const now = opts.now ?? (opts.clock ? () => opts.clock!.now() : () => new Date());
    const { fake, org } = opts;
    const transcripts = new Transcripts(fake, now);
    const client = new CallbackClient({
      crypto: opts.crypto,
      agentId: opts.agentId,
      serviceUrl: opts.serviceUrl ?? (() => loopbackOrigin(app.server.address())),
      now,
    });
    app.addHook('onClose', async () => transcripts.unsubscribe());
    // Replies given passively (in the callback's answer, never through message/send): kept for /simulator/sent too.
    const passiveReplies: { touser: string; msgtype: 'text'; text: { content: string }; passive: true; at: string }[] = [];
    app.setErrorHandler((err, request, reply) => {
      if (!(err instanceof CallbackPostError)) throw err;
      request.log.warn({ reason: err.message }, 'simulator: the service refused the simulated callback');
      return reply.code(502).send({ error: err.code, message: err.message });
    });

    registerSimulatorPage(app);

    app.get('/simulator/identities', POLLED, async () => listIdentities(org));

    app.get('/simulator/transcript', POLLED, async (request, reply) => {
      const query = transcriptQuery.safeParse(request.query);
      if (!query.success) return badRequest(reply, query.error);
      const party: SimParty = query.data.channel === 'app' ? { channel: 'app', userId: query.data.id } : { channel: 'kf', externalUserId: query.data.id };
      return transcripts.get(party);
    });

    app.post('/simulator/household/messages', async (request, reply) => {
      const body = householdBody.safeParse(request.body);
      if (!body.success) return badRequest(reply, body.error);
      const { externalUserId, text, menuId } = body.data;
      if (!findHousehold(externalUserId)) return reply.code(404).send({ error: 'UNKNOWN_HOUSEHOLD' });
      transcripts.said({ channel: 'kf', externalUserId }, text, menuId);
      // What WeChat puts in the kf inbox (a menu tap is a customer text carrying menu_id), then the news event.
      fake.pushKfMessage({
        msgid: `sim_${randomBytes(10).toString('hex')}`,
        open_kfid: SIM_OPEN_KFID,
        external_userid: externalUserId,
        send_time: Math.floor(now().getTime() / 1000),
        origin: 3,
        msgtype: 'text',
        text: { content: text, ...(menuId !== undefined && { menu_id: menuId }) },
      });
      await client.kfNews(SIM_OPEN_KFID);
      return reply.code(202).send({ accepted: true });
    });

    app.post('/simulator/staff/messages', async (request, reply) => {
      const body = staffBody.safeParse(request.body);
      if (!body.success) return badRequest(reply, body.error);
      const member = org.findStaff(body.data.userId);
      if (!member) return reply.code(404).send({ error: 'UNKNOWN_STAFF' });
      const party: SimParty = { channel: 'app', userId: member.userId };
      transcripts.said(party, body.data.text);
      const { passiveReply } = await client.staffText(member.userId, body.data.text);
      if (passiveReply !== undefined) {
        transcripts.passiveReply(party, passiveReply);
        passiveReplies.push({ touser: member.userId, msgtype: 'text', text: { content: passiveReply }, passive: true, at: now().toISOString() });
        if (passiveReplies.length > MAX_PASSIVE_REPLIES) passiveReplies.shift();
      }
      return { passiveReply: passiveReply ?? null };
    });

    app.post('/simulator/staff/card-clicks', async (request, reply) => {
      const body = clickBody.safeParse(request.body);
      if (!body.success) return badRequest(reply, body.error);
      const member = org.findStaff(body.data.userId);
      if (!member) return reply.code(404).send({ error: 'UNKNOWN_STAFF' });
      const card = transcripts.findCard(member.userId, body.data.taskId);
      const button = card?.card.buttons.find((b) => b.key === body.data.eventKey);
      if (!card || !button) return reply.code(404).send({ error: 'UNKNOWN_CARD_BUTTON' });
      if (card.card.done !== undefined) return reply.code(409).send({ error: 'CARD_ALREADY_UPDATED' });
      // Like WeCom, every click carries a fresh single-use code for updating the clicker's card.
      const responseCode = fake.issueResponseCode();
      transcripts.clicked(member.userId, card, button, responseCode);
      await client.cardClick(member.userId, { taskId: body.data.taskId, eventKey: button.key, responseCode });
      return reply.code(202).send({ accepted: true });
    });

    const { clock } = opts;
    if (clock) {
      // The simulated date, and how far it runs ahead of today's real date (Asia/Shanghai).
      const clockState = () => {
        const date = shanghaiDate(clock.now());
        return { now: clock.now().toISOString(), date, aheadDays: naturalDaysBetween(shanghaiDate(Date.now()), date) };
      };
      app.get('/simulator/clock', POLLED, async () => clockState());
      app.post('/simulator/clock', async (request, reply) => {
        const body = clockBody.safeParse(request.body);
        if (!body.success) return badRequest(reply, body.error);
        clock.advance(body.data.days * DAY_MS);
        const state = clockState();
        transcripts.timeMoved(body.data.days, state.date);
        request.log.info({ days: body.data.days, date: state.date }, 'simulator: time moved forward');
        await opts.clockMoved?.();
        return state;
      });
    }

    app.get('/simulator/sent', POLLED, async () => ({
      appMessages: fake.appMessages,
      kfMessages: fake.kfSent,
      cardUpdates: fake.cardUpdates,
      passiveReplies,
    }));
  };
}
