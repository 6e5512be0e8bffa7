import { createCipheriv, createHash } from 'node:crypto';
import { decrypt, encrypt } from '@wecom/crypto';
import { describe, expect, it } from 'vitest';
import { EnvelopeError, openEnvelope, seal, sealReply } from '../../src/wecom/crypto.js';
import { parseWeComXml } from '../../src/wecom/xml.js';
import { VECTOR_CRYPTO as cfg } from '../helpers/vectors.js';

// Vectors from ../shared/docs/wecom-channel.md §10.
const A = {
  query: { timestamp: '1409659813', nonce: '1372623149', msg_signature: '477715d11cdb4164915debcba66cb864d751f3e6' },
  encrypt:
    'RypEvHKD8QQKFhvQ6QleEB4J58tiPdvo+rtK1I9qca6aM/wvqnLSV5zEPeusUiX5L5X/0lWfrf0QADHHhGd3QczcdCUpj911L3vg3W/sYYvuJTs3TUUkSUXxaccAS0qhxchrRYt66wiSpGLYL42aM6A8dTT+6k4aSknmPj48kzJs8qLjvd4Xgpue06DOdnLxAUHzM6+kDZ+HMZfJYuR+LtwGc2hgf5gsijff0ekUNXZiqATP7PF5mZxZ3Izoun1s4zG4LUMnvw2r+KqCKIw+3IQH03v+BCA9nMELNqbSf6tiWSrXJB3LAVGUcallcrw8V2t9EL4EhzJWrQUax5wLVMNS0+rUPA3k22Ncx4XXZS9o0MBH27Bo6BpNelZpS+/uh9KsNlY6bHCmJU9p8g7m3fVKn28H3KDYA5Pl/T8Z1ptDAVe0lXdQ2YoyyH2uyPIGHBZZIs2pDBS8R07+qN+E7Q==',
  message:
    '<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName>\n<FromUserName><![CDATA[mycreate]]></FromUserName>\n<CreateTime>1409659813</CreateTime>\n<MsgType><![CDATA[text]]></MsgType>\n<Content><![CDATA[hello]]></Content>\n<MsgId>4561255354251345929</MsgId>\n<AgentID>218</AgentID>\n</xml>',
};
const B = {
  query: { timestamp: '1409659589', nonce: '263014780', msg_signature: '5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3' },
  echostrOnWire: 'P9nAzCzyDtyTWESHep1vC5X9xho%2FqYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp%2B4RPcs8TgAE7OaBO%2BFZXvnaqQ%3D%3D',
  plain: '1616140317555161061',
};
const C = {
  query: { timestamp: '1700000000', nonce: '1234567890', msg_signature: '2447021f80c1f42c94be84bd84fd5e091e851466' },
  random: Buffer.from('0123456789abcdef'),
  message:
    '<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName><FromUserName><![CDATA[zhangsan]]></FromUserName><CreateTime>1700000000</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[你好]]></Content><MsgId>1234567890123456</MsgId><AgentID>1000002</AgentID></xml>',
  encrypt:
    'sKqRbbiSUnDhFHOvPjtUMfiX+CvDBhWo3SMd/hRmoi0ezp4MqaKIvg+GVRtho6vuxJGxPZ7Qc5B0J3Jih6yXnEoWQ38/BrJkP6/9u85U9IqzXdAwl5su5wu+JVE+HiQrA8hRwy7kDGvt6nZH+TbBt2xc5MwIu+/sSnPuMqREPRhxSOXq7bcjZkaLRtr/V/3g+ZsRVpR+dwDNAU2Rq4XdCMhnQEtXnRVcUZRV/oO4HxSNk+Wrau3QaFP2VFCWaHGypQbppd7z2yVErKbka5wzbpJm5ARAWbvylfwz7uMnid81CwWrSioPXBCDiD4ct2b9L4N9R31Vv0FaNXRcUhesobW0UVeBvPwkCINjyc2d09nFwrx4L9zscNrqtAsQxb0Mx/LEQaHL0hWixS80BkLaA6/r3dv72wTxTOICS13pGLA=',
  reply: {
    plain:
      '<xml><ToUserName><![CDATA[zhangsan]]></ToUserName><FromUserName><![CDATA[wx5823bf96d3bd56c7]]></FromUserName><CreateTime>1700000001</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[收到]]></Content></xml>',
    random: Buffer.from('fedcba9876543210'),
    encrypt:
      'P9TP8OO8ZpJE35Ha/87+5AZ0TDmjJzdMQsdy0GNoPmaNk1G2EcWjHO8RYmLsiYARY6rlmmnnTAwym0zS+xH8ReGjbEJyzEY8x8OehgV4cj0EfYziJP+TahHc6AOhzahv4/M0LSY9tuJI76moXniWsqI7uXUs5pEXpo4QIpxRdZZgC7VyRvx4T2bNgPAJQrdOpt5thsHkJJ7lpJcIqHyjaNXgmV7UvcqeO6lbD+9MnKMMgMeufYrDSKSw0lcbRv1Zoc1eaQb7LdMAU1mUN1EKfnRW4jKsyjKvqtzyEs7Su6U+/XsbUScsdKjj/l+tynJsSqjp1+y0w5+9QSGJEyhQ2NAJta+7zskc/eJ5Ulk3FupA+Hw/mgxRE8/GIbIsQjYm',
    signature: '10a144dc210ff467b02a346f0e954a18187190cc',
  },
};
const D = {
  cfg: { token: 'hJqcu3uJ9Tn2gXPmxx2w9kkCkCE2EPYo', encodingAesKey: '6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhUt', corpId: 'ww1436e0e65a779aee' },
  get: {
    query: { timestamp: '1476416373', nonce: '47744683', msg_signature: '012bc692d0a58dd4b10f8dfe5c4ac00ae211ebeb' },
    echostr: 'fsi1xnbH4yQh0+PJxcOdhhK6TDXkjMyhEPA7xB2TGz6b+g7xyAbEkRxN/3cNXW9qdqjnoVzEtpbhnFyq6SVHyA==',
    plain: '1288432023552776189',
  },
  post: {
    query: { timestamp: '1476422779', nonce: '1597212914', msg_signature: '0c3914025cb4b4d68103f6bfc8db550f79dcf48e' },
    encrypt:
      'Kl7kjoSf6DMD1zh7rtrHjFaDapSCkaOnwu3bqLc5tAybhhMl9pFeK8NslNPVdMwmBQTNoW4mY7AIjeLvEl3NyeTkAgGzBhzTtRLNshw2AEew+kkYcD+Fq72Kt00fT0WnN87hGrW8SqGc+NcT3mu87Ha3dz1pSDi6GaUA6A0sqfde0VJPQbZ9U+3JWcoD4Z5jaU0y9GSh010wsHF8KZD24YhmZH4ch4Ka7ilEbjbfvhKkNL65HHL0J6EYJIZUC2pFrdkJ7MhmEbU2qARR4iQHE7wy24qy0cRX3Mfp6iELcDNfSsPGjUQVDGxQDCWjayJOpcwocugux082f49HKYg84EpHSGXAyh+/oxwaWbvL6aSDPOYuPDGOCI8jmnKiypE+',
    plain:
      '<xml><ToUserName>ww1436e0e65a779aee</ToUserName><FromUserName>ChenJiaShun</FromUserName><CreateTime>1476422779</CreateTime><MsgType>text</MsgType><Content>你好</Content><MsgId>1456453720</MsgId><AgentID>1000002</AgentID></xml>',
  },
};

describe('callback crypto against the published and generated vectors', () => {
  it('A: opens the published POST sample', () => {
    expect(openEnvelope(cfg, A.query, A.encrypt)).toBe(A.message);
    expect(decrypt(cfg.encodingAesKey, A.encrypt).random.toString('ascii')).toBe('0960688932c47ef1');
  });

  it('B: answers the published URL verification after the query is decoded once', () => {
    const echostr = new URLSearchParams(`echostr=${B.echostrOnWire}`).get('echostr')!;
    expect(openEnvelope(cfg, B.query, echostr)).toBe(B.plain);
  });

  it('B: a raw "+" turned into a space by query decoding is refused, not misread', () => {
    const doubleDecoded = decodeURIComponent(B.echostrOnWire).replaceAll('+', ' ');
    expect(() => openEnvelope(cfg, B.query, doubleDecoded)).toThrow(EnvelopeError);
  });

  it('C: reproduces the generated vector byte for byte, and its passive reply', () => {
    const sealed = seal(cfg, C.message, 1700000000, { random: C.random, nonce: '1234567890' });
    expect(sealed.encrypt).toBe(C.encrypt);
    expect(sealed.signature).toBe(C.query.msg_signature);
    expect(openEnvelope(cfg, C.query, C.encrypt)).toBe(C.message);

    const reply = parseWeComXml(sealReply(cfg, C.reply.plain, 1700000001, { random: C.reply.random, nonce: '987654321' }));
    expect(reply).toEqual({ Encrypt: C.reply.encrypt, MsgSignature: C.reply.signature, TimeStamp: '1700000001', Nonce: '987654321' });
  });

  it('D: opens the second published pair (other keys, UTF-8 content)', () => {
    expect(openEnvelope(D.cfg, D.get.query, D.get.echostr)).toBe(D.get.plain);
    expect(openEnvelope(D.cfg, D.post.query, D.post.encrypt)).toBe(D.post.plain);
  });

  it('round-trips our own seal and open, Chinese included', () => {
    const text = '<xml><Content><![CDATA[家里老人住院了，想申报]]></Content></xml>';
    const s = seal(cfg, text, 1800000000);
    expect(openEnvelope(cfg, { msg_signature: s.signature, timestamp: s.timestamp, nonce: s.nonce }, s.encrypt)).toBe(text);
  });

  it('refuses a wrong signature, a missing parameter and a foreign receiveId', () => {
    const fail = (fn: () => unknown) => {
      try {
        fn();
      } catch (err) {
        return (err as EnvelopeError).reason;
      }
      return 'accepted';
    };
    expect(fail(() => openEnvelope(cfg, { ...C.query, msg_signature: '0'.repeat(40) }, C.encrypt))).toBe('bad_signature');
    expect(fail(() => openEnvelope(cfg, { ...C.query, nonce: undefined }, C.encrypt))).toBe('missing_parameter');
    const foreign = seal({ ...cfg, corpId: 'wwsomeoneelse' }, C.message, 1700000000);
    expect(fail(() => openEnvelope(cfg, { msg_signature: foreign.signature, timestamp: foreign.timestamp, nonce: foreign.nonce }, foreign.encrypt))).toBe('wrong_receive_id');
  });

  it('E: an aligned plaintext gets a full 32-byte pad block', () => {
    // 16 random + 4 length + 26 message + 18 receiveId = 64 bytes: already a multiple of 32.
    const message = 'abcdefghijklmnopqrstuvwxyz';
    const cipher = Buffer.from(encrypt(cfg.encodingAesKey, message, cfg.corpId, Buffer.alloc(16, 1)), 'base64');
    expect(cipher.length).toBe(96);
    expect(decrypt(cfg.encodingAesKey, cipher.toString('base64')).message).toBe(message);
  });

  it('E: a cipher made with OpenSSL auto-padding on top of the manual pad yields a junk receiveId, and is refused', () => {
    const key = Buffer.from(cfg.encodingAesKey + '=', 'base64');
    const msg = Buffer.from('hello');
    const len = Buffer.alloc(4);
    len.writeUInt32BE(msg.length);
    let plain = Buffer.concat([Buffer.alloc(16, 7), len, msg, Buffer.from(cfg.corpId)]);
    const pad = 32 - (plain.length % 32);
    plain = Buffer.concat([plain, Buffer.alloc(pad, pad)]);
    const cipher = createCipheriv('aes-256-cbc', key, key.subarray(0, 16));
    const encrypted = Buffer.concat([cipher.update(plain), cipher.final()]).toString('base64');
    const ts = '1700000000';
    const nonce = '1';
    const signature = createHash('sha1').update([cfg.token, ts, nonce, encrypted].sort().join('')).digest('hex');
    expect(decrypt(cfg.encodingAesKey, encrypted).id).not.toBe(cfg.corpId);
    expect(() => openEnvelope(cfg, { msg_signature: signature, timestamp: ts, nonce }, encrypted)).toThrow('wrong_receive_id');
  });
});
