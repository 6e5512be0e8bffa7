/**
 * A person's name as cards show it, which stay in chat histories and get forwarded: the first and last
 * characters kept, the middle starred. @example maskName("张德福") → "张*福"; maskName("李四") → "李*"; maskName("欧阳娜娜") → "欧**娜"
 */
export function maskName(name: string): string {
  const chars = [...name.trim()];
  if (chars.length <= 1) return chars.join('');
  if (chars.length === 2) return `${chars[0]}*`;
  return `${chars[0]}${'*'.repeat(chars.length - 2)}${chars.at(-1)}`;
}
