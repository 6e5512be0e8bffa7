import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DATA_KEY_BYTES, parseDataKey } from './vault.js';

/**
 * Local mode only: the data key kept beside the embedded store (DATA_DIR/data.key, mode 0600), made on
 * first start, so a restart can still read what it stored. A deployment sets DATA_KEY instead.
 */
export function localDataKey(dataDir: string): Buffer {
  const existing = readLocalDataKey(dataDir);
  if (existing) return existing;
  const path = join(dataDir, 'data.key');
  mkdirSync(dataDir, { recursive: true });
  const key = randomBytes(DATA_KEY_BYTES);
  try {
    writeFileSync(path, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  } catch (err) {
    // Another process made it first: use theirs.
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return parseDataKey(readFileSync(path, 'utf8'));
    throw err;
  }
  return key;
}

/** The local data key if DATA_DIR has one, else null; never makes one (for tools that only read, like audit:verify). */
export function readLocalDataKey(dataDir: string): Buffer | null {
  try {
    return parseDataKey(readFileSync(join(dataDir, 'data.key'), 'utf8'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}
