/** WeCom text messages (app, kf and passive replies) carry at most 2048 bytes of UTF-8. */
export const MAX_TEXT_BYTES = 2048;

/** Splits text into chunks of at most `maxBytes` UTF-8 bytes, preferring line breaks, never splitting a character. */
export function splitText(text: string, maxBytes = MAX_TEXT_BYTES): string[] {
  if (Buffer.byteLength(text, 'utf8') <= maxBytes) return [text];
  const chunks: string[] = [];
  let current = '';
  for (const char of text) {
    // Cut before the character that would overflow: at the last line break if there is one.
    while (current && Buffer.byteLength(current + char, 'utf8') > maxBytes) {
      const cut = current.lastIndexOf('\n');
      chunks.push(cut > 0 ? current.slice(0, cut) : current);
      current = cut > 0 ? current.slice(cut + 1) : '';
    }
    current += char;
  }
  if (current) chunks.push(current);
  return chunks;
}
