/** An error the user can fix by changing what they typed; the CLI prints the message alone and exits 2. */
export class UsageError extends Error {
  readonly exitCode = 2;
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** The generator refused to act to protect files on disk, or a step failed; exit 1 unless told otherwise. */
export class GeneratorError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'GeneratorError';
  }
}

export const INPUT_ENDED =
  'input ended before every question was answered, so the run stopped and nothing was written. ' +
  'Pass the answers as flags (see --help) or --yes to take the defaults.';

export const INTERRUPTED = 'interrupted: the run stopped and nothing was written.';

const ERRNO_WORDS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOENT: 'no such file or folder',
  ENOTDIR: 'a file is where a folder should be',
  EISDIR: 'it is a folder',
  ENOSPC: 'the disk is full',
  EROFS: 'read-only file system',
  ENAMETOOLONG: 'the name is too long',
  ELOOP: 'too many symbolic links',
};

/** A system error (errno) as one line: what failed, on which path, in words. */
function errnoMessage(error: NodeJS.ErrnoException): string | undefined {
  if (!error.code || !error.syscall) return undefined;
  if (error.syscall === 'uv_cwd') return 'the current folder no longer exists: cd to an existing folder and run again.';
  const words = ERRNO_WORDS[error.code] ?? error.code;
  const what = error.syscall === 'scandir' ? 'cannot list the folder' : error.syscall === 'open' ? 'cannot open' : `cannot ${error.syscall}`;
  return `${what} ${error.path ?? ''} (${words}): check the path and its permissions, then run again.`.replace('  ', ' ');
}

/** What to tell the user about an error that ended the run, and the exit code. */
export function describeError(error: unknown): { message: string; exitCode: number } {
  const { name, message, exitCode } = (error ?? {}) as { name?: string; message?: string; exitCode?: unknown };
  // Inquirer's errors when the terminal closes (Ctrl-D, hang-up) or is interrupted (Ctrl-C).
  if (name === 'ExitPromptError' || name === 'AbortPromptError') {
    return /SIGINT/.test(message ?? '') ? { message: INTERRUPTED, exitCode: 130 } : { message: INPUT_ENDED, exitCode: 1 };
  }
  const system = errnoMessage(error as NodeJS.ErrnoException);
  if (system) return { message: system, exitCode: 1 };
  const code = typeof exitCode === 'number' && exitCode > 0 ? exitCode : 1;
  return { message: message ?? String(error), exitCode: code };
}
