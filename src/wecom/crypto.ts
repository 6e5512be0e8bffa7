import { randomBytes, timingSafeEqual } from 'node:crypto';
import { decrypt, encrypt, getSignature } from '@wecom/crypto';

/** Callback crypto parameters of one app (wecom-channel.md §1). */
export interface CallbackCrypto {
  token: string;
  encodingAesKey: string;
  /** The receiveId every envelope must carry: the CorpID for a self-built app. */
  corpId: string;
}

export type EnvelopeFailure = 'missing_parameter' | 'bad_signature' | 'undecryptable' | 'wrong_receive_id';

export class EnvelopeError extends Error {
  constructor(readonly reason: EnvelopeFailure) {
    super(`wecom envelope: ${reason}`);
  }
}

export interface SignedQuery {
  msg_signature?: string;
  timestamp?: string;
  nonce?: string;
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Checks the signature over `cipher` in constant time, decrypts it and checks the receiveId. */
export function openEnvelope(cfg: CallbackCrypto, query: SignedQuery, cipher: string | undefined): string {
  const { msg_signature: signature, timestamp, nonce } = query;
  if (!signature || !timestamp || !nonce || !cipher) throw new EnvelopeError('missing_parameter');
  if (!sameText(getSignature(cfg.token, timestamp, nonce, cipher), signature.toLowerCase())) {
    throw new EnvelopeError('bad_signature');
  }
  let opened: { message: string; id: string };
  try {
    opened = decrypt(cfg.encodingAesKey, cipher);
  } catch {
    throw new EnvelopeError('undecryptable');
  }
  // The library does not compare the receiveId; a wrong key or foreign tenant shows up here.
  if (!sameText(opened.id, cfg.corpId)) throw new EnvelopeError('wrong_receive_id');
  return opened.message;
}

export interface SealedEnvelope {
  encrypt: string;
  signature: string;
  timestamp: string;
  nonce: string;
}

/** Encrypts and signs `plain` (a reply, or a simulated callback). `random` and `nonce` are for fixed test vectors. */
export function seal(
  cfg: CallbackCrypto,
  plain: string,
  timestampSec: number,
  fixed: { random?: Buffer; nonce?: string } = {},
): SealedEnvelope {
  const timestamp = String(timestampSec);
  const nonce = fixed.nonce ?? String(randomBytes(4).readUInt32BE(0));
  const cipher = encrypt(cfg.encodingAesKey, plain, cfg.corpId, fixed.random);
  return { encrypt: cipher, signature: getSignature(cfg.token, timestamp, nonce, cipher), timestamp, nonce };
}

/** The XML body of a passive reply (wecom-channel.md §3.1). */
export function sealReply(cfg: CallbackCrypto, plainXml: string, timestampSec: number, fixed?: { random?: Buffer; nonce?: string }): string {
  const s = seal(cfg, plainXml, timestampSec, fixed);
  return (
    `<xml><Encrypt><![CDATA[${s.encrypt}]]></Encrypt><MsgSignature><![CDATA[${s.signature}]]></MsgSignature>` +
    `<TimeStamp>${s.timestamp}</TimeStamp><Nonce><![CDATA[${s.nonce}]]></Nonce></xml>`
  );
}
