import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { z } from 'zod';
import {
  APP_MSGTYPES, FAKE_ERRCODES, appEnvelopeSchema, appMessagePayloads, cardUpdateSchema, describeIssue, kfSendSchema,
  serviceStateGetSchema, serviceStateTransSchema, syncMsgSchema,
} from './fake-wecom-schemas.js';
import { FakeWeComState, type FakeWeComConfig } from './fake-wecom-state.js';

export { FakeWeComState, type FakeWeComConfig, type FakeSendEvent } from './fake-wecom-state.js';
export { FAKE_ERRCODES } from './fake-wecom-schemas.js';

/**
 * A fake of the WeCom server API (gettoken, message/send, update_template_card and the 微信客服 calls)
 * for tests and local mode. It checks tokens and required fields like WeCom and records what was sent;
 * it does NOT enforce the kf 48 h / 5-message window (the service tracks that itself), and without a
 * cursor kf/sync_msg returns the last 3 days like WeCom. Cursors are base36 inbox indexes.
 */

type Body = Record<string, unknown>;
type Answer = { errcode: number; errmsg: string } & Body;

const ok = (extra: Body = {}): Answer => ({ errcode: 0, errmsg: 'ok', ...extra });
const fail = (errcode: number, errmsg: string): Answer => ({ errcode, errmsg });
const THREE_DAYS_MS = 3 * 24 * 3600 * 1000;

function parse<S extends z.ZodType>(schema: S, body: unknown): { data: z.output<S> } | { error: Answer } {
  const result = schema.safeParse(body);
  return result.success ? { data: result.data } : { error: fail(FAKE_ERRCODES.invalidParameter, describeIssue(result.error)) };
}

/** Applies the next queued fault for `api`. Returns 'dropped' when the socket was destroyed. */
async function applyFault(state: FakeWeComState, api: string, request: FastifyRequest, reply: FastifyReply): Promise<Answer | 'dropped' | undefined> {
  const fault = state.takeFault(api);
  if (!fault) return undefined;
  if (fault.kind === 'delay') {
    await new Promise((resolve) => setTimeout(resolve, fault.ms));
    return undefined;
  }
  if (fault.kind === 'errcode') return fail(fault.errcode, `injected errcode ${fault.errcode}`);
  if (fault.kind === 'http') {
    await reply.code(fault.status).type('text/html').send('<html><body>bad gateway</body></html>');
    return 'dropped';
  }
  reply.hijack();
  request.raw.socket.destroy();
  return 'dropped';
}

function handlers(state: FakeWeComState): Record<string, (body: Body) => Answer> {
  return {
    'message/send': (body) => {
      if (typeof body.agentid !== 'number') return fail(FAKE_ERRCODES.missingAgentid, 'missing agentid');
      const msgtype = z.enum(APP_MSGTYPES).safeParse(body.msgtype);
      if (!msgtype.success) return fail(FAKE_ERRCODES.invalidMsgtype, 'invalid msgtype');
      const envelope = parse(appEnvelopeSchema, body);
      if ('error' in envelope) return envelope.error;
      const payload = parse(appMessagePayloads[msgtype.data], body);
      if ('error' in payload) return payload.error;
      if (body.enable_duplicate_check === 1) {
        const interval = typeof body.duplicate_check_interval === 'number' ? body.duplicate_check_interval : 1800;
        // An identical message delivered within the interval is not delivered again (WeCom still answers ok).
        if (state.isDuplicate(body, interval)) return ok({ invaliduser: '', invalidparty: '', invalidtag: '', unlicenseduser: '', msgid: state.nextId('msg_dup_') });
      } else state.noteDelivered(body);
      const card = (payload.data as { template_card?: { task_id: string } }).template_card;
      if (card && !state.claimTaskId(card.task_id)) return fail(FAKE_ERRCODES.taskIdReused, 'task_id already exists');
      const msgid = state.nextId('msg_');
      const responseCode = card ? state.issueResponseCode() : undefined;
      const record = { ...envelope.data, msgid, ...(responseCode && { response_code: responseCode }) };
      state.appMessages.push(record);
      state.emit({ kind: 'app_message', body: record });
      return ok({ invaliduser: '', invalidparty: '', invalidtag: '', unlicenseduser: '', msgid, ...(responseCode && { response_code: responseCode }) });
    },
    'message/update_template_card': (body) => {
      const parsed = parse(cardUpdateSchema, body);
      if ('error' in parsed) return parsed.error;
      if (!state.claimResponseCode(parsed.data.response_code)) return fail(FAKE_ERRCODES.invalidParameter, 'response_code already used');
      state.cardUpdates.push(parsed.data);
      state.emit({ kind: 'card_update', body: parsed.data });
      return ok({ invaliduser: [] });
    },
    'kf/sync_msg': (body) => {
      const parsed = parse(syncMsgSchema, body);
      if ('error' in parsed) return parsed.error;
      const { open_kfid, cursor, token, limit = 1000 } = parsed.data;
      state.syncRequests.push({ open_kfid, ...(cursor !== undefined && { cursor }), ...(token !== undefined && { token }) });
      const inbox = state.inbox(open_kfid);
      let start: number;
      if (cursor) {
        start = /^[0-9a-z]{1,12}$/.test(cursor) ? parseInt(cursor, 36) : NaN;
        if (!(start <= inbox.length)) return fail(FAKE_ERRCODES.invalidParameter, 'invalid cursor');
      } else {
        const since = state.now() - THREE_DAYS_MS;
        start = inbox.findIndex((m) => m.send_time * 1000 >= since);
        if (start < 0) start = inbox.length;
      }
      const batch = inbox.slice(start, start + limit);
      const next = start + batch.length;
      return ok({ next_cursor: next.toString(36), has_more: next < inbox.length ? 1 : 0, msg_list: batch });
    },
    'kf/send_msg': (body) => {
      const parsed = parse(kfSendSchema, body);
      if ('error' in parsed) return parsed.error;
      const { open_kfid, touser, msgid } = parsed.data;
      const { state: session } = state.serviceState(open_kfid, touser);
      if (session !== 0 && session !== 1) {
        return fail(FAKE_ERRCODES.kfSessionStateNotAllowed, `session state ${session} does not allow API messages`);
      }
      if (msgid !== undefined && !state.claimKfMsgId(open_kfid, msgid)) return fail(FAKE_ERRCODES.kfMsgIdReused, 'msgid already used');
      const record = { ...parsed.data, msgid: msgid ?? state.nextId('kfmsg_') };
      state.kfSent.push(record);
      state.emit({ kind: 'kf_message', body: record });
      return ok({ msgid: record.msgid });
    },
    'kf/service_state/get': (body) => {
      const parsed = parse(serviceStateGetSchema, body);
      if ('error' in parsed) return parsed.error;
      const session = state.serviceState(parsed.data.open_kfid, parsed.data.external_userid);
      return ok({ service_state: session.state, ...(session.servicer && { servicer_userid: session.servicer }) });
    },
    'kf/service_state/trans': (body) => {
      const parsed = parse(serviceStateTransSchema, body);
      if ('error' in parsed) return parsed.error;
      const { open_kfid, external_userid, service_state, servicer_userid } = parsed.data;
      if (service_state === 3 && !servicer_userid) return fail(FAKE_ERRCODES.servicerNotAvailable, 'servicer_userid required for state 3');
      state.setServiceState(open_kfid, external_userid, service_state, service_state === 3 ? servicer_userid : undefined);
      return ok();
    },
  };
}

const jsonObject = z.record(z.string(), z.unknown());
const tokenQuery = z.object({ access_token: z.string().optional() });
const gettokenQuery = z.object({ corpid: z.string().optional(), corpsecret: z.string().optional() });

/** Adds the fake's routes under `prefix` (e.g. '/simulator/wecom-api'), encapsulated in their own plugin. */
export function registerFakeWeComApi(app: FastifyInstance, state: FakeWeComState, opts: { prefix?: string } = {}): void {
  void app.register(async (scoped) => {
    // WeCom answers malformed JSON with HTTP 200 and errcode 47001.
    scoped.setErrorHandler((err: { statusCode?: number }, _request, reply) => {
      const clientError = (err.statusCode ?? 500) < 500;
      return reply.code(clientError ? 200 : 500).send(clientError ? fail(FAKE_ERRCODES.dataFormatError, 'data format error') : fail(-1, 'system error'));
    });

    scoped.get('/cgi-bin/gettoken', async (request, reply) => {
      state.gettokenCalls++;
      const fault = await applyFault(state, 'gettoken', request, reply);
      if (fault === 'dropped') return reply;
      if (fault) return fault;
      const { corpid, corpsecret } = gettokenQuery.parse(request.query);
      if (corpid !== state.config.corpId) return fail(40013, 'invalid corpid');
      if (corpsecret !== state.config.secret) return fail(40001, 'invalid secret');
      const { token, expiresIn } = state.issueToken();
      return ok({ access_token: token, expires_in: expiresIn });
    });

    for (const [api, handle] of Object.entries(handlers(state))) {
      scoped.post(`/cgi-bin/${api}`, async (request, reply) => {
        state.calls.push({ api, body: request.body, at: state.now() });
        const fault = await applyFault(state, api, request, reply);
        if (fault === 'dropped') return reply;
        if (fault) return fault;
        const tokenError = state.checkToken(tokenQuery.parse(request.query).access_token);
        if (tokenError) return fail(tokenError, tokenError === 41001 ? 'access_token missing' : 'invalid or expired access_token');
        const body = jsonObject.safeParse(request.body);
        return body.success ? handle(body.data) : fail(FAKE_ERRCODES.dataFormatError, 'data format error');
      });
    }
  }, { prefix: opts.prefix ?? '' });
}

/** Starts the fake on 127.0.0.1 and an ephemeral port. */
export async function startFakeWeComApi(input?: Partial<FakeWeComConfig> | FakeWeComState): Promise<{ baseUrl: string; state: FakeWeComState; close(): Promise<void> }> {
  const state = input instanceof FakeWeComState ? input : new FakeWeComState(input);
  const app = Fastify({ logger: false });
  registerFakeWeComApi(app, state);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('fake WeCom API did not bind a TCP port');
  return { baseUrl: `http://127.0.0.1:${address.port}`, state, close: () => app.close() };
}
