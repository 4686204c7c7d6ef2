#!/usr/bin/env node
/**
 * `mlpipeline [directory] [options]` (also `npx generator-mlpipeline`, and `npm init mlpipeline` through create-mlpipeline): runs the app
 * generator on yeoman-environment without a global `yo` and without a generator lookup (it is slow).
 * Help, version and flag errors are answered before Yeoman is even loaded.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { canonicalArgs, helpText, parseArgs } from '../lib/cli.js';
import { describeError, INPUT_ENDED } from '../lib/errors.js';
import { GENERATOR_PATH, PACKAGE_ROOT } from '../lib/paths.js';

const NAMESPACE = 'mlpipeline:app';

async function main(argv: string[]): Promise<number> {
  const parsed = parseArgs(argv);
  const { flags } = parsed;
  if (flags.help) {
    process.stdout.write(`${helpText()}\n`);
    return 0;
  }
  if (flags.version) {
    const pkg = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string };
    process.stdout.write(`${pkg.version}\n`);
    return 0;
  }
  const { default: Environment } = await import('yeoman-environment');
  const env = new Environment({ cwd: process.cwd() });
  // Yeoman logs "An error occured while running <task>" before every failure; the message below says
  // what went wrong and what to do, so that line is only noise here.
  const log = env.adapter.log as unknown as { error: (message: string, ...rest: unknown[]) => unknown };
  const logError = log.error.bind(log);
  log.error = (message, ...rest) => (/^An error occured while running /.test(message) ? log : logError(message, ...rest));
  env.register(GENERATOR_PATH, { namespace: NAMESPACE, packagePath: PACKAGE_ROOT });
  await env.run([NAMESPACE, ...canonicalArgs(parsed)], { exitGuard: false } as Record<string, unknown>);
  return 0;
}

// A prompt cut off by a closed stdin can leave Node with nothing left to do: it would exit 0 before
// the run settled, as if all went well. Make that a failure.
// (Inquirer also emits 'exit' itself when the terminal closes; then the rejection below follows.)
let settled = false;
let reported = false;
process.on('exit', () => {
  if (!settled && !process.exitCode) {
    process.exitCode = 1;
    reported = true;
    process.stderr.write(`mlpipeline: ${INPUT_ENDED}\n`);
  }
});

main(process.argv.slice(2)).then(
  (code) => {
    settled = true;
    process.exitCode = code;
  },
  (error: unknown) => {
    settled = true;
    const { message, exitCode } = describeError(error);
    if (!(reported && message === INPUT_ENDED)) process.stderr.write(`mlpipeline: ${message}\n`);
    if (process.env.DEBUG && error instanceof Error) process.stderr.write(`${error.stack}\n`);
    process.exitCode = exitCode;
  },
);
