// The baseline for bench/generate.mjs: a bare yeoman-environment run whose generator only writes a
// given list of files (no questions, no validation, no answers logic). Usage: node bare-generate.mjs PLAN.json DIR
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import Environment from 'yeoman-environment';
import Generator from 'yeoman-generator';

const [planPath, dir] = process.argv.slice(2);
const { templatesDir, context, files } = JSON.parse(readFileSync(planPath, 'utf8'));
context.q = (value) => JSON.stringify(value);

class BareGenerator extends Generator {
  writing() {
    for (const file of files) {
      const from = resolve(templatesDir, file.from);
      const to = this.destinationPath(file.to);
      if (file.kind === 'render') this.fs.copyTpl(from, to, context);
      else this.fs.copy(from, to);
    }
    this.fs.writeJSON(this.destinationPath('.yo-rc.json'), { 'generator-mlpipeline': context.stored });
  }
}

const env = new Environment({ cwd: resolve(dir) });
env.register(BareGenerator, { namespace: 'bare:app', resolved: resolve(dir, 'bare.js') });
await env.run(['bare:app'], { skipInstall: true });
