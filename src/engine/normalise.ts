/** Full-width ASCII (`１２ＡＢ，`) becomes half-width, the ideographic space a space; the result is trimmed. */
export function toHalfWidth(s: string): string {
  return s
    .replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/\u3000/g, ' ')
    .trim();
}

/** For comparing words and labels: half-width, lower-case, without spaces and sentence punctuation. */
export function normaliseWord(s: string): string {
  return toHalfWidth(s)
    .toLowerCase()
    .replace(/[\s。.!！?？,，、~～;；:："“”'‘’]+/g, '');
}

/** `ask_name` in namespace `declaration` is `declaration:ask_name`; a key that names its namespace is kept. */
export function resolveKey(namespace: string, key: string): string {
  return key.includes(':') ? key : `${namespace}:${key}`;
}
