/**
 * Real browser policies for the browser tests: a copy of the built extension under its own path
 * (so its own extension id), and a Chromium policy file that sets that id's managed storage, the
 * way an administrator's policy does. Only that copy is managed: other browser tests, even ones
 * running at the same time in other workers, load the build at `.output/chrome-mv3`, whose id no
 * policy names.
 */
import { createHash } from 'node:crypto';
import { accessSync, constants, cpSync, mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { EXTENSION_DIR } from '../../testkit/browser';

/** Where Chromium on Linux (Debian's, and Chromium builds such as Playwright's) reads mandatory policies. */
export const POLICY_DIR = process.env.CHROMIUM_POLICY_DIR ?? '/etc/chromium/policies/managed';

/**
 * The id Chromium gives an unpacked extension: SHA-256 of its absolute path (symlinks resolved),
 * the first 32 hex digits written with the letters a–p (crx_file::id_util::GenerateIdForPath).
 */
export function unpackedExtensionId(dir: string): string {
  const hex = createHash('sha256').update(realpathSync(dir)).digest('hex').slice(0, 32);
  return [...hex].map((digit) => String.fromCharCode(97 + Number.parseInt(digit, 16))).join('');
}

/** Why policies cannot be written here (not root, and the folder is not writable), or null. */
export function policiesUnwritable(): string | null {
  try {
    mkdirSync(POLICY_DIR, { recursive: true });
    accessSync(POLICY_DIR, constants.W_OK);
    return null;
  } catch (error) {
    return `cannot write Chromium policies in ${POLICY_DIR} (${(error as Error).message}): run as root, as CI does, or set CHROMIUM_POLICY_DIR`;
  }
}

export interface ManagedExtension {
  dir: string;
  id: string;
  /** Writes (or replaces) the policy that sets this extension's managed storage. */
  setPolicy(values: Record<string, unknown>): void;
  /** Removes the policy file and the copy. */
  remove(): void;
}

/** A copy of the built extension and, once `setPolicy` is called, a policy file for its id. */
export function managedExtension(): ManagedExtension {
  const dir = mkdtempSync(path.join(tmpdir(), 'throughline-managed-'));
  cpSync(EXTENSION_DIR, dir, { recursive: true });
  const id = unpackedExtensionId(dir);
  const policyFile = path.join(POLICY_DIR, `throughline-test-${id}.json`);
  return {
    dir,
    id,
    setPolicy(values) {
      mkdirSync(POLICY_DIR, { recursive: true });
      // The "3rdparty" → "extensions" → id policy: that extension's storage.managed, checked
      // against its manifest's managed_schema.
      writeFileSync(policyFile, JSON.stringify({ '3rdparty': { extensions: { [id]: values } } }, null, 2));
    },
    remove() {
      rmSync(policyFile, { force: true });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
