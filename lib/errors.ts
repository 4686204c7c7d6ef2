/** An error the user can fix by changing what they typed; the CLI prints the message alone and exits 2. */
export class UsageError extends Error {
  readonly exitCode = 2;
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** The generator refused to act to protect files on disk, or a step after writing failed; exit 1. */
export class GeneratorError extends Error {
  readonly exitCode = 1;
  constructor(message: string) {
    super(message);
    this.name = 'GeneratorError';
  }
}

export function exitCodeOf(error: unknown): number {
  const code = (error as { exitCode?: unknown })?.exitCode;
  return typeof code === 'number' && code > 0 ? code : 1;
}
