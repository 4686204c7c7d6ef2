// Writes docs/options.md from the question table: `npm run docs:options`.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { optionsMarkdown } from '../lib/docs.js';
import { PACKAGE_ROOT } from '../lib/paths.js';

writeFileSync(join(PACKAGE_ROOT, 'docs', 'options.md'), optionsMarkdown());
