/** WeCom text messages (app, kf and passive replies) carry at most 2048 bytes of UTF-8. */
export const MAX_TEXT_BYTES = 2048;

/** Splits text into chunks of at most `maxBytes` UTF-8 bytes, preferring line breaks, never splitting a character. */
export function splitText(text: string, maxBytes = MAX_TEXT_BYTES): string[] {
  if (Buffer.byteLength(text, 'utf8') <= maxBytes) return [text];
  const chunks: string[] = [];
  let current = '';
  for (const char of text) {
    if (Buffer.byteLength(current + char, 'utf8') > maxBytes) {
      const cut = current.lastIndexOf('\n');
      if (cut > 0) {
        chunks.push(current.slice(0, cut));
        current = current.slice(cut + 1);
      } else {
        chunks.push(current);
        current = '';
      }
    }
    current += char;
  }
  if (current) chunks.push(current);
  return chunks;
}
