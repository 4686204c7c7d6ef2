/**
 * One run at a time in a project. Two updates (or an update and `mlpipeline add`) started together
 * would each decide from the same files and the same record, then write over each other: the second
 * would take the first one's output for the user's edits. The lock is held from the moment a run
 * reads the project until it has written and installed it.
 *
 * proper-lockfile (mkdir-based, so atomic on any file system, NFS included) keeps the lock's mtime
 * fresh while the run lives, so a lock left by a killed run is stale after STALE_MS and the next run
 * takes it over by itself; it also removes the lock when the process exits on a signal.
 */
import { lockSync } from 'proper-lockfile';
import { join } from 'node:path';
import { statSync } from 'node:fs';
import { GeneratorError } from './errors.js';
import { PROJECT_CONFIG } from './project-config.js';

/** The lock: a folder beside the project's answers, present only while a run goes on. */
export const LOCK_NAME = `${PROJECT_CONFIG}.lock`;
/** A lock not refreshed for this long was left by a run that no longer exists. */
export const STALE_MS = 20_000;
/** Exit code when another run holds the lock: EX_TEMPFAIL, "try again later" (as `<module> retrain` uses). */
export const LOCKED_EXIT = 75;

export type Release = () => void;

function heldSince(lockPath: string): string {
  try {
    return ` (since ${statSync(lockPath).birthtime.toTimeString().slice(0, 8)})`;
  } catch {
    return '';
  }
}

/**
 * Takes the project's lock, or throws a GeneratorError naming the other run. Where no lock can be
 * made (a read-only project), the run goes on unlocked: it can only read, and the write checks
 * report what is read-only.
 */
export function lockProject(root: string): Release {
  const lockfilePath = join(root, LOCK_NAME);
  try {
    const release = lockSync(root, {
      lockfilePath,
      realpath: false,
      stale: STALE_MS,
      // A refresh that fails (the lock folder deleted by hand) must not crash the run in the middle of
      // its writes, which are all or nothing anyway: the next run simply finds no lock.
      onCompromised: () => undefined,
    });
    let released = false;
    return () => {
      if (released) return;
      released = true;
      try {
        release();
      } catch {
        // Already gone (removed by hand): nothing to release.
      }
    };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ELOCKED') return () => undefined;
    throw new GeneratorError(
      `another mlpipeline run is changing ${root}${heldSince(lockfilePath)}, so this one stopped and wrote nothing: ` +
        `wait for it to finish, then run again. A lock left by a run that was killed (${LOCK_NAME}) expires by itself ` +
        `${STALE_MS / 1000} s after that run ended.`,
      LOCKED_EXIT,
    );
  }
}
