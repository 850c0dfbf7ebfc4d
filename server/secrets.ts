/**
 * Host credentials at rest: sealed with AES-256-GCM under a key the server holds outside the
 * database (THROUGHLINE_SECRET_KEY, or a key file in the data directory made on first start).
 * Node's crypto does the cipher; what is ours is a few lines of format: the key's id, so that keys
 * can be rotated (the first key seals, every key listed opens), and a refusal in words when a
 * sealed value was sealed with a key this server does not hold. Sealed: `v1.<key id>.<iv>.<data>.<tag>`.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const KEY_BYTES = 32;
const IV_BYTES = 12;
export const KEY_FILE = 'secret.key';

const keyIdOf = (key: Buffer) => createHash('sha256').update(key).digest('hex').slice(0, 8);

/** Parses `base64,base64,…`: 32-byte keys, the first one sealing. */
export function parseKeys(value: string, from: string): Buffer[] {
  const keys = value
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => Buffer.from(part, 'base64'));
  if (keys.length === 0 || keys.some((key) => key.length !== KEY_BYTES)) {
    throw new Error(`${from}: must be one or more comma-separated base64 keys of 32 bytes (openssl rand -base64 32)`);
  }
  return keys;
}

export class SecretBox {
  private readonly keys: Map<string, Buffer>;
  private readonly sealingId: string;

  constructor(keys: Buffer[]) {
    if (keys.length === 0) throw new Error('a secret box needs a key');
    this.keys = new Map(keys.map((key) => [keyIdOf(key), key]));
    this.sealingId = keyIdOf(keys[0] as Buffer);
  }

  /**
   * The keys of THROUGHLINE_SECRET_KEY when it is set; otherwise the data directory's key file,
   * made (readable by this user only) on first start.
   */
  static forServer(dataDir: string, env: NodeJS.ProcessEnv = process.env): SecretBox {
    const configured = env.THROUGHLINE_SECRET_KEY;
    if (configured) return new SecretBox(parseKeys(configured, 'THROUGHLINE_SECRET_KEY'));
    const file = path.join(dataDir, KEY_FILE);
    let content: string;
    try {
      content = readFileSync(file, 'utf8');
    } catch {
      mkdirSync(dataDir, { recursive: true });
      content = randomBytes(KEY_BYTES).toString('base64');
      // `wx`: never over a key another process wrote meanwhile; then that key is read.
      try {
        writeFileSync(file, `${content}\n`, { mode: 0o600, flag: 'wx' });
      } catch {
        content = readFileSync(file, 'utf8');
      }
    }
    return new SecretBox(parseKeys(content, file));
  }

  seal(plain: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.keys.get(this.sealingId) as Buffer, iv);
    const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return ['v1', this.sealingId, iv, data, cipher.getAuthTag()]
      .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
      .join('.');
  }

  open(sealed: string): string {
    const [version, keyId, iv, data, tag] = sealed.split('.');
    if (version !== 'v1' || !keyId || iv === undefined || data === undefined || tag === undefined) {
      throw new Error('not a sealed secret');
    }
    const key = this.keys.get(keyId);
    if (!key) throw new Error(`sealed with key ${keyId}, which this server does not hold`);
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
  }
}
