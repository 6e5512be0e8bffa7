/** Test vectors from ../shared/docs/wecom-channel.md §10 (parameters common to A–C). */
export const VECTOR_CRYPTO = {
  token: 'QDG6eK',
  encodingAesKey: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C',
  corpId: 'wx5823bf96d3bd56c7',
} as const;
