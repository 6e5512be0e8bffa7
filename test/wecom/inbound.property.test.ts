import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { ZodError } from 'zod';
import { parseInbound, type Inbound } from '../../src/wecom/inbound.js';
import { buildWeComXml, XmlError, type XmlValue } from '../../src/wecom/xml.js';
import { hostileText, PROTOTYPE_KEYS } from '../helpers/hostile-input.js';

/**
 * A decrypted callback whose element names or values are Object.prototype keys: parseInbound returns a
 * well-formed Inbound or refuses it with the errors the route expects (XmlError, ZodError), nothing else.
 */
const KINDS: Inbound['kind'][] = ['text', 'media', 'card_click', 'kf_event', 'event'];
const FIELDS = ['ToUserName', 'CreateTime', 'MsgType', 'AgentID', 'FromUserName', 'MsgId', 'Content', 'Event', 'EventKey', 'TaskId', 'ResponseCode', 'Token', 'OpenKfId'];
const text = (over: Record<string, XmlValue>) =>
  buildWeComXml({ ToUserName: 'ww1', FromUserName: 'zhangsan', CreateTime: 1700000000, MsgType: 'text', Content: '你好', MsgId: '1234567890123456', AgentID: 1000002, ...over });

function expectInboundOrRefusal(xml: string): void {
  let inbound: Inbound;
  try {
    inbound = parseInbound(xml);
  } catch (err) {
    expect(err instanceof XmlError || err instanceof ZodError, String(err)).toBe(true);
    return;
  }
  expect(KINDS).toContain(inbound.kind);
  for (const value of Object.values(inbound)) expect(['string', 'number']).toContain(typeof value);
}

describe('parseInbound', () => {
  it.each(PROTOTYPE_KEYS)('an extra element named %s: the message is read as usual, or refused as XML', (key) => {
    const xml = text({}).replace('</xml>', `<${key}>x</${key}></xml>`);
    let inbound: Inbound | undefined;
    try {
      inbound = parseInbound(xml);
    } catch (err) {
      expect(err).toBeInstanceOf(XmlError);
    }
    if (inbound) expect(inbound).toMatchObject({ kind: 'text', content: '你好', from: 'zhangsan' });
  });

  it('takes prototype keys as values like any other text', () => {
    for (const key of PROTOTYPE_KEYS) {
      expect(parseInbound(text({ Content: key }))).toMatchObject({ kind: 'text', content: key });
      expect(parseInbound(text({ MsgType: key }))).toMatchObject({ kind: 'media', mediaType: key });
      expect(parseInbound(text({ MsgType: 'event', Event: key }))).toMatchObject({ kind: 'event', event: key });
    }
  });

  test.prop([fc.dictionary(fc.constantFrom(...FIELDS, ...PROTOTYPE_KEYS), fc.oneof(hostileText(200), fc.constantFrom(...PROTOTYPE_KEYS)))], { numRuns: 200 })(
    'any fields, any values: an Inbound or a refusal',
    (fields) => {
      expectInboundOrRefusal(text(fields));
      expectInboundOrRefusal(buildWeComXml(fields));
    },
  );
});
