import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { KEY_FILE, SecretBox } from '../../server/secrets';

const TOKEN = 'ghp_0123456789abcdefghijklmnopqrstuvwxyz';

describe('SecretBox: host tokens sealed at rest', () => {
  test('opens what it sealed; the sealed text holds no part of the token, and differs each time', () => {
    const box = new SecretBox([randomBytes(32)]);
    const sealed = box.seal(TOKEN);
    expect(box.open(sealed)).toBe(TOKEN);
    expect(sealed).not.toContain(TOKEN.slice(4, 12));
    expect(box.seal(TOKEN)).not.toBe(sealed);
  });

  test('refuses a tampered value, and one sealed with a key it does not hold, in words', () => {
    const box = new SecretBox([randomBytes(32)]);
    const [version, keyId, iv, data, tag] = box.seal(TOKEN).split('.');
    const bytes = Buffer.from(data as string, 'base64url');
    bytes[0] = (bytes[0] as number) ^ 1;
    expect(() => box.open([version, keyId, iv, bytes.toString('base64url'), tag].join('.'))).toThrow();
    const other = new SecretBox([randomBytes(32)]);
    expect(() => other.open(box.seal(TOKEN))).toThrow(/^sealed with key [0-9a-f]{8}, which this server does not hold$/);
    expect(() => box.open('plain text')).toThrow('not a sealed secret');
  });

  test('rotates: the first key seals, every key listed opens', () => {
    const [oldKey, newKey] = [randomBytes(32), randomBytes(32)];
    const sealedBefore = new SecretBox([oldKey]).seal(TOKEN);
    const rotated = new SecretBox([newKey, oldKey]);
    expect(rotated.open(sealedBefore)).toBe(TOKEN);
    expect(() => new SecretBox([oldKey]).open(rotated.seal(TOKEN))).toThrow(/does not hold/);
  });

  test('the key comes from THROUGHLINE_SECRET_KEY, or a key file made on first start, readable by its owner only', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'throughline-secrets-'));
    try {
      const first = SecretBox.forServer(dir, {});
      const file = path.join(dir, KEY_FILE);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(SecretBox.forServer(dir, {}).open(first.seal(TOKEN))).toBe(TOKEN);
      const key = readFileSync(file, 'utf8').trim();
      expect(SecretBox.forServer('/nonexistent', { THROUGHLINE_SECRET_KEY: key }).open(first.seal(TOKEN))).toBe(TOKEN);
      expect(() => SecretBox.forServer(dir, { THROUGHLINE_SECRET_KEY: 'c2hvcnQ=' })).toThrow(
        'THROUGHLINE_SECRET_KEY: must be one or more comma-separated base64 keys of 32 bytes (openssl rand -base64 32)',
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
