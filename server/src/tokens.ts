import { createHash, randomBytes } from 'node:crypto';

/** 32 random bytes, base64url: shown once by `device add`, never stored. */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** What the server keeps of a token. A lookup by this hash needs no constant-time compare: the hash is the key. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}
