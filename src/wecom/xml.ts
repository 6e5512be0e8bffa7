import { XMLParser, XMLValidator } from 'fast-xml-parser';

export class XmlError extends Error {
  readonly code = 'WECOM.MALFORMED_XML';
}

const parser = new XMLParser({
  // Every value stays a string: "007" must not become 7 and a 64-bit MsgId must not lose digits.
  parseTagValue: false,
  parseAttributeValue: false,
  ignoreAttributes: true,
  trimValues: true,
  // No entity expansion at all (the billion-laughs family); WeCom never sends entities we need.
  processEntities: false,
  htmlEntities: false,
  isArray: (name) => name === 'SelectedItem' || name === 'OptionId',
});

/** Parses a WeCom XML document and returns the children of its `<xml>` root. */
export function parseWeComXml(text: string): Record<string, unknown> {
  // A DOCTYPE is never part of a WeCom payload; refusing it closes the door on DTD tricks.
  if (/<!DOCTYPE|<!ENTITY/i.test(text)) throw new XmlError('DOCTYPE is not allowed');
  const valid = XMLValidator.validate(text);
  if (valid !== true) throw new XmlError(`invalid XML at line ${valid.err.line}`);
  let doc: unknown;
  try {
    doc = parser.parse(text);
  } catch {
    // fast-xml-parser refuses element names such as __proto__ or constructor (they would reach Object.prototype).
    throw new XmlError('element the parser refuses');
  }
  const root = typeof doc === 'object' && doc !== null ? (doc as Record<string, unknown>).xml : undefined;
  if (typeof root !== 'object' || root === null || Array.isArray(root)) throw new XmlError('missing <xml> root');
  return root as Record<string, unknown>;
}

function cdata(value: string): string {
  // "]]>" cannot appear inside CDATA; split it across two sections.
  return `<![CDATA[${value.replaceAll(']]>', ']]]]><![CDATA[>')}]]>`;
}

export type XmlValue = string | number | { [key: string]: XmlValue };

/** Builds `<xml>…</xml>`; strings go in CDATA, numbers bare, objects nest. */
export function buildWeComXml(fields: Record<string, XmlValue>): string {
  const render = (obj: Record<string, XmlValue>): string =>
    Object.entries(obj)
      .map(([key, value]) => {
        const inner = typeof value === 'string' ? cdata(value) : typeof value === 'number' ? String(value) : render(value);
        return `<${key}>${inner}</${key}>`;
      })
      .join('');
  return `<xml>${render(fields)}</xml>`;
}
