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
  'input ended before every question was answered, so the run stopped. ' +
  'Pass the answers as flags (see --help) or --yes to take the defaults.';

/** What to tell the user about an error that ended the run, and the exit code. */
export function describeError(error: unknown): { message: string; exitCode: number } {
  const { name, message, exitCode } = (error ?? {}) as { name?: string; message?: string; exitCode?: unknown };
  // Inquirer's errors when the terminal closes (Ctrl-D, hang-up) or is interrupted (Ctrl-C).
  if (name === 'ExitPromptError' || name === 'AbortPromptError') {
    return { message: INPUT_ENDED, exitCode: /SIGINT/.test(message ?? '') ? 130 : 1 };
  }
  const code = typeof exitCode === 'number' && exitCode > 0 ? exitCode : 1;
  return { message: message ?? String(error), exitCode: code };
}
