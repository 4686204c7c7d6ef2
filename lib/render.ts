/**
 * The planned files in memory: EJS templates rendered with the context, other templates and the user's
 * data file taken as they are. Nothing here touches the project folder.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Output } from './changes.js';
import type { TemplateContext } from './context.js';
import type { PlannedFile } from './files.js';
import { TEMPLATES_DIR } from './paths.js';

/** `templatesDir` is the templates folder (another one only in tests, to play a generator upgrade). */
export async function renderOutputs(planned: PlannedFile[], context: TemplateContext, templatesDir = TEMPLATES_DIR): Promise<Output[]> {
  const needsEjs = planned.some((file) => file.kind === 'render');
  const ejs = needsEjs ? (await import('ejs')).default : undefined;
  // A template may read a file rendered before it (environment.yml reads pyproject.toml's dependencies).
  const texts = new Map<string, string>();
  const rendered = (path: string): string => {
    const text = texts.get(path);
    if (text === undefined) throw new Error(`${path} is not rendered before the template that reads it (see lib/files.ts)`);
    return text;
  };
  return planned.map((file) => {
    if (file.kind === 'user-file') return { path: file.to, source: file.from };
    const from = join(templatesDir, file.from);
    const template = readFileSync(from);
    if (file.kind === 'copy') return { path: file.to, content: template };
    const text = ejs!.render(template.toString('utf8'), { ...context, rendered, ...(file.locals ?? {}) }, { filename: from });
    texts.set(file.to, text);
    return { path: file.to, content: Buffer.from(text) };
  });
}
