/**
 * A prompt cut off by a closed stdin can leave Node with nothing left to do: it would exit 0 before the
 * run settled, as if all went well. The guard turns that into exit code 1 and a message. The bin arms
 * it for its run; under `yo`, the generator arms it for its own.
 */
import { INPUT_ENDED } from './errors.js';

let armed = false;
let fired = false;

function onExit(): void {
  if (armed && !process.exitCode) {
    fired = true;
    process.exitCode = 1;
    process.stderr.write(`mlpipeline: ${INPUT_ENDED}\n`);
  }
}

/** Arms the guard until `disarmExitGuard()`; safe to call more than once. */
export function armExitGuard(): void {
  if (!armed) process.once('exit', onExit);
  armed = true;
}

export function disarmExitGuard(): void {
  armed = false;
  process.removeListener('exit', onExit);
}

/** Whether the guard has already told the user that input ended (so the error is not said twice). */
export function exitGuardFired(): boolean {
  return fired;
}
