#!/usr/bin/env node
/**
 * `mlpipeline [directory] [options]` (also `npx generator-mlpipeline`, and `npm init mlpipeline` through
 * create-mlpipeline), and its sub-commands, `mlpipeline <command> ...` (lib/cli.ts: COMMANDS). It runs the same steps as `yo mlpipeline` (lib/run.ts) without loading Yeoman:
 * only what a run needs is loaded, and prompts are plain inquirer prompts, loaded only on a terminal.
 */
import { ADD, addHelpText } from '../lib/add.js';
import { runAdder, type Adder, type AddingPlan } from '../lib/adding.js';
import { FEATURE, featureHelpText } from '../lib/feature.js';
import { commandHelpText, helpText, parseArgs, runOptions } from '../lib/cli.js';
import { describeError, INPUT_ENDED } from '../lib/errors.js';
import { MODEL, modelHelpText } from '../lib/model.js';
import { armExitGuard, disarmExitGuard, exitGuardFired } from '../lib/exit-guard.js';
import { PACKAGE_VERSION } from '../lib/paths.js';
import { checkboxAnswer, runAll, tickedByDefault, type Io } from '../lib/run.js';

const color = (code: number, text: string): string =>
  process.stderr.isTTY && !process.env.NO_COLOR ? `\u001b[${code}m${text}\u001b[0m` : text;

/** Prompts and messages on the terminal. */
function terminalIo(interactive: boolean): Io {
  return {
    interactive,
    info: (message) => process.stdout.write(`${message}\n`),
    warn: (message) => process.stderr.write(`${color(33, 'warning:')} ${message}\n`),
    prompt: async (spec) => {
      if (spec.kind === 'checkbox' && spec.choices) {
        const { default: checkbox } = await import('@inquirer/checkbox');
        const { validate } = spec;
        const ticked = await checkbox({
          message: spec.message,
          validate: validate && ((choices) => validate(checkboxAnswer(choices))),
          choices: spec.choices.map((c) => ({
            value: c.value,
            name: c.value,
            description: c.description,
            checked: tickedByDefault(spec, c.value),
          })),
        });
        return checkboxAnswer(ticked);
      }
      if (spec.kind === 'select' && spec.choices) {
        const { default: select } = await import('@inquirer/select');
        return select({
          message: spec.message,
          default: spec.default,
          choices: spec.choices.map((c) => ({ value: c.value, name: c.value, description: c.description })),
          pageSize: 12,
        });
      }
      const { default: input } = await import('@inquirer/input');
      const answer = await input({ message: spec.message, default: spec.default, validate: spec.validate });
      return answer.trim();
    },
    confirm: async (_name, message, fallback) => {
      const { default: confirm } = await import('@inquirer/confirm');
      return confirm({ message, default: fallback });
    },
  };
}

async function main(argv: string[]): Promise<number> {
  const parsed = parseArgs(argv);
  if (parsed.flags.help) {
    const name = parsed.command?.name;
    const help =
      name === 'add'
        ? addHelpText()
        : name === 'model'
          ? modelHelpText()
          : name === 'feature'
            ? featureHelpText()
            : parsed.command
              ? commandHelpText(parsed.command)
              : helpText();
    process.stdout.write(`${help}\n`);
    return 0;
  }
  if (parsed.flags.version) {
    process.stdout.write(`${PACKAGE_VERSION}\n`);
    return 0;
  }
  const interactive = Boolean(process.stdin.isTTY);
  if (interactive) armExitGuard();
  // The commands that add to a project: their positionals name what to add, not the directory.
  const adders: ReadonlyArray<Adder<AddingPlan>> = [ADD, MODEL, FEATURE];
  const adder = adders.find((candidate) => candidate.verb === parsed.command?.name);
  if (adder) {
    const { positionals, ...rest } = parsed;
    return runAdder(adder, process.cwd(), positionals, runOptions({ ...rest, positionals: [] }), terminalIo(interactive));
  }
  return runAll(process.cwd(), runOptions(parsed), terminalIo(interactive));
}

// Output piped into a command that stops reading (`| head`) is not an error of the run.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
  });
}

main(process.argv.slice(2)).then(
  (code) => {
    disarmExitGuard();
    process.exitCode = code;
  },
  (error: unknown) => {
    disarmExitGuard();
    const { message, exitCode } = describeError(error);
    // After a prompt cut off mid-line, start the message on a line of its own.
    const newline = process.stdout.isTTY && exitCode !== 2 ? '\n' : '';
    if (!(exitGuardFired() && message === INPUT_ENDED)) process.stderr.write(`${newline}mlpipeline: ${message}\n`);
    if (process.env.DEBUG && error instanceof Error) process.stderr.write(`${error.stack}\n`);
    process.exitCode = exitCode;
  },
);
