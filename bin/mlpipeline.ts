#!/usr/bin/env node
/**
 * `mlpipeline [directory] [options]` (also `npx mlpipeline` and `npm init mlpipeline`): runs the app
 * generator on yeoman-environment without a global `yo` and without a generator lookup (it is slow).
 * Help, version and flag errors are answered before Yeoman is even loaded.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { helpText, parseArgs } from '../lib/cli.js';
import { exitCodeOf } from '../lib/errors.js';
import { GENERATOR_PATH, PACKAGE_ROOT } from '../lib/paths.js';

const NAMESPACE = 'mlpipeline:app';

async function main(argv: string[]): Promise<number> {
  const { flags } = parseArgs(argv);
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
  env.register(GENERATOR_PATH, { namespace: NAMESPACE, packagePath: PACKAGE_ROOT });
  // Without a terminal nobody can answer a file conflict: stop at the first one instead of waiting.
  const bail = !flags.force && !process.stdin.isTTY;
  await env.run([NAMESPACE, ...argv], bail ? { bail: true } : {});
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const code = exitCodeOf(error);
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`mlpipeline: ${message}\n`);
    if (code === 1 && process.env.DEBUG && error instanceof Error) process.stderr.write(`${error.stack}\n`);
    process.exitCode = code;
  },
);
