import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package root: the nearest folder above this file with a package.json (works from lib/ and dist/lib/). */
function findPackageRoot(start: string): string {
  let dir = start;
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`No package.json above ${start}`);
    dir = parent;
  }
  return dir;
}

export const PACKAGE_ROOT = findPackageRoot(dirname(fileURLToPath(import.meta.url)));
export const TEMPLATES_DIR = join(PACKAGE_ROOT, 'templates', 'project');
export const GENERATOR_PATH = join(PACKAGE_ROOT, 'dist', 'generators', 'app', 'index.js');
/** The key of our answers in .yo-rc.json: Yeoman uses the package name. */
export const CONFIG_KEY = 'generator-mlpipeline';
/** This generator's version, recorded beside the hashes of the files it wrote. */
export const PACKAGE_VERSION: string = (
  JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }
).version;
