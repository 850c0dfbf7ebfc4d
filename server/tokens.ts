import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** Recognisable in logs, configs and secret scanners. */
export const TOKEN_PREFIX = 'tl_';
const DISPLAY_LENGTH = TOKEN_PREFIX.length + 6;

export function generateToken(): { token: string; hash: string; displayPrefix: string } {
  const token = `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
  return { token, hash: hashToken(token), displayPrefix: token.slice(0, DISPLAY_LENGTH) };
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function hashesEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'hex');
  const right = Buffer.from(b, 'hex');
  return left.length === right.length && timingSafeEqual(left, right);
}

export function looksLikeToken(value: string): boolean {
  return /^tl_[A-Za-z0-9_-]{43}$/.test(value);
}
