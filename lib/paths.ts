import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package root: dist/lib/paths.js lives two levels below it, and so does lib/paths.ts in tests. */
export const PACKAGE_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const TEMPLATES_DIR = join(PACKAGE_ROOT, 'templates', 'project');
export const GENERATOR_PATH = join(PACKAGE_ROOT, 'dist', 'generators', 'app', 'index.js');
/** The key of our answers in .yo-rc.json: Yeoman uses the package name. */
export const CONFIG_KEY = 'generator-mlpipeline';
