import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { CallbackService } from '../channel/callback-service.js';
import type { Clock } from '../shared/clock.js';
import { EnvelopeError, openEnvelope, sealReply, type CallbackCrypto, type SignedQuery } from '../wecom/crypto.js';
import { parseInbound, readEncryptField } from '../wecom/inbound.js';
import { buildWeComXml } from '../wecom/xml.js';

export interface CallbackRouteOptions {
  crypto: CallbackCrypto;
  service: CallbackService;
  clock: Clock;
  maxAgeSeconds: number;
  bodyLimitBytes: number;
}

type Query = SignedQuery & { echostr?: string };

/** Why a callback was refused: one log line each, and a status without details for the caller. */
function refuse(request: FastifyRequest, reply: FastifyReply, status: 400 | 401, reason: string): FastifyReply {
  request.log.warn({ reason }, 'wecom callback refused');
  return reply.code(status).type('text/plain').send(status === 401 ? 'unauthorized' : 'bad request');
}

/** A signed envelope that did not open: 401 unless it was authentic but undecryptable. */
function refuseEnvelope(request: FastifyRequest, reply: FastifyReply, err: unknown): FastifyReply {
  const reason = err instanceof EnvelopeError ? err.reason : 'invalid';
  return refuse(request, reply, reason === 'undecryptable' ? 400 : 401, reason);
}

/** Longest plaintext answered to a URL verification; WeCom's echo is a short random number. */
export const MAX_VERIFICATION_ECHO_CHARS = 128;

/** A URL-verification echo is short printable text, never XML (which every message and reply is). */
function isVerificationEcho(plain: string): boolean {
  return plain.length >= 1 && plain.length <= MAX_VERIFICATION_ECHO_CHARS && /^[\x21-\x7e]+$/.test(plain) && !/[<>]/.test(plain);
}

/**
 * `/wecom/callback`: GET answers URL verification with the bare decrypted echostr (in the same replay
 * window as POST, and only when it is a verification echo); POST receives
 * messages and events. Registered as its own encapsulated plugin so the catch-all body parser
 * stays here.
 */
export async function callbackRoutes(app: FastifyInstance, opts: CallbackRouteOptions): Promise<void> {
  const { crypto, service, clock } = opts;
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string', bodyLimit: opts.bodyLimitBytes }, (_req, body, done) => done(null, body));

  const stale = (timestamp: string | undefined): boolean => {
    const ts = Number(timestamp);
    return !Number.isInteger(ts) || Math.abs(clock.now().getTime() / 1000 - ts) > opts.maxAgeSeconds;
  };

  const verify = async (request: FastifyRequest<{ Querystring: Query }>, reply: FastifyReply) => {
    const query = request.query;
    if (!query.msg_signature || !query.timestamp || !query.nonce || !query.echostr) return refuse(request, reply, 401, 'missing_parameter');
    if (stale(query.timestamp)) return refuse(request, reply, 401, 'stale_timestamp');
    let plain: string;
    try {
      plain = openEnvelope(crypto, query, query.echostr);
    } catch (err) {
      return refuseEnvelope(request, reply, err);
    }
    // The signature covers echostr exactly as it covers a POST's Encrypt: without this check a captured
    // message replayed as echostr would come back decrypted. Its plaintext is never logged.
    if (!isVerificationEcho(plain)) return refuse(request, reply, 400, 'not_a_verification_echo');
    // WeCom expects exactly the plaintext: no quotes, no newline.
    return reply.type('text/plain').send(plain);
  };

  const receive = async (request: FastifyRequest<{ Querystring: Query; Body: string }>, reply: FastifyReply) => {
    const query = request.query;
    if (!query.msg_signature || !query.timestamp || !query.nonce) return refuse(request, reply, 401, 'missing_parameter');
    if (stale(query.timestamp)) return refuse(request, reply, 401, 'stale_timestamp');
    let cipher: string;
    try {
      cipher = readEncryptField(typeof request.body === 'string' ? request.body : '');
    } catch {
      return refuse(request, reply, 400, 'malformed_body');
    }
    let inner: string;
    try {
      inner = openEnvelope(crypto, query, cipher);
    } catch (err) {
      return refuseEnvelope(request, reply, err);
    }
    let inbound;
    try {
      inbound = parseInbound(inner);
    } catch {
      return refuse(request, reply, 400, 'malformed_message');
    }
    request.log.info({ kind: inbound.kind, ...('from' in inbound ? { from: inbound.from } : {}) }, 'wecom callback');
    const answer = await service.receive(inbound);
    if (answer.kind === 'empty') return reply.code(200).send('');
    const nowSec = Math.floor(clock.now().getTime() / 1000);
    const plainXml = buildWeComXml({ ToUserName: answer.toUser, FromUserName: crypto.corpId, CreateTime: nowSec, MsgType: 'text', Content: answer.text });
    return reply.type('application/xml').send(sealReply(crypto, plainXml, nowSec));
  };

  // Tolerate a trailing slash: admins paste the URL both ways.
  for (const url of ['/wecom/callback', '/wecom/callback/']) {
    app.get<{ Querystring: Query }>(url, verify);
    app.post<{ Querystring: Query; Body: string }>(url, receive);
  }
}
