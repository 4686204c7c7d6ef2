/**
 * THE file manifest: which template under templates/project/ is written where, under which condition.
 * Paths mirror the generated tree; the output path is derived from the template path:
 *   - a trailing `.ejs` means "render with EJS" and is dropped (other files are copied byte for byte);
 *   - a `dot_` prefix becomes `.` (npm would drop a published `.gitignore`);
 *   - `_module_` becomes the Python module name, `_initials_` the author's initials.
 * A unit test checks that this list and the templates folder name the same files.
 */
import { projectDataPath } from './answers.js';
import type { AddonName } from './catalog.js';
import type { CustomFeature, TemplateContext } from './context.js';

export interface FileEntry {
  /** Path under templates/project/. */
  template: string;
  /** Output path when it differs from the derived one. */
  to?: string;
  when?: (ctx: TemplateContext) => boolean;
}

export interface Section {
  /** Folder under templates/project/ that the section's files are in ('' for the top). */
  folder: string;
  files: ReadonlyArray<string | FileEntry>;
  when?: (ctx: TemplateContext) => boolean;
  /** The add-on these files belong to: written only when it is chosen (`--add`, `mlpipeline add`). */
  addon?: AddonName;
  /**
   * Written once per custom feature (`mlpipeline feature NAME`): `_feature_name_` in a path becomes
   * the feature's name, and its templates see it as `feature` ({name, className}).
   */
  perFeature?: boolean;
}

export const MANIFEST: readonly Section[] = [
  {
    folder: '',
    files: [
      'README.md.ejs',
      'Makefile.ejs',
      'pyproject.toml.ejs',
      // After pyproject.toml: environment.yml lists its dependencies (lib/conda.ts).
      { template: 'environment.yml.ejs', when: (c) => c.installer === 'conda' },
      { template: 'poetry.toml', when: (c) => c.installer === 'poetry' },
      'dot_gitignore.ejs',
      'dot_env.example',
      { template: 'LICENSE-MIT.ejs', to: 'LICENSE', when: (c) => c.license === 'MIT' },
      { template: 'LICENSE-BSD-3-Clause.ejs', to: 'LICENSE', when: (c) => c.license === 'BSD-3-Clause' },
      { template: 'LICENSE-Apache-2.0', to: 'LICENSE', when: (c) => c.license === 'Apache-2.0' },
    ],
  },
  // The base versions of updates live in .mlpipeline/base/ (lib/base-store.ts); this says how git keeps them.
  { folder: 'dot_mlpipeline', files: ['dot_gitattributes'] },
  { folder: '', addon: 'docker', files: ['Dockerfile.ejs', 'dot_dockerignore.ejs'] },
  { folder: 'dot_github/workflows', addon: 'ci', files: ['ci.yml.ejs'] },
  { folder: '', addon: 'precommit', files: ['dot_pre-commit-config.yaml'] },
  { folder: 'config', files: ['config.yaml.ejs'] },
  {
    folder: 'data',
    files: ['raw/dot_gitkeep', 'interim/dot_gitkeep', 'processed/dot_gitkeep', 'external/dot_gitkeep'],
  },
  { folder: 'models', files: ['dot_gitkeep'] },
  { folder: 'notebooks', files: ['1.0-_initials_-initial-data-exploration.ipynb.ejs'] },
  { folder: 'references', files: ['README.md.ejs'] },
  { folder: 'reports', files: ['figures/dot_gitkeep'] },
  { folder: 'docs', files: ['index.md.ejs'] },
  { folder: 'jobs', files: ['spark_submit.py.ejs'] },
  {
    folder: 'src/_module_',
    files: [
      '__init__.py',
      '__main__.py',
      'artifact.py',
      'auth.py',
      'batch.py',
      'batching.py',
      'card.py',
      'champion.py',
      'cli.py',
      'cli_models.py',
      'cli_monitor.py',
      'cli_state.py',
      'columns.py',
      'config.py',
      'console.py',
      'data.py',
      'dates.py',
      'drift.py',
      'errors.py',
      'estimators.py.ejs',
      'evaluate.py',
      'exports.py',
      { template: 'export_onnx.py', when: (c) => c.exportOnnx },
      { template: 'export_pmml.py', when: (c) => c.exportPmml },
      { template: 'export_skops.py', when: (c) => c.exportSkops },
      'features.py',
      'locking.py',
      'metadata.py',
      'metrics.py',
      'middleware.py',
      'monitor.py',
      'monitor_input.py',
      { template: 'onnx_dates.py', when: (c) => c.exportOnnx },
      { template: 'onnx_model.py', when: (c) => c.exportOnnx },
      'plots.py',
      'predict.py',
      'prediction_log.py',
      'progress.py',
      'pruning.py',
      'reference.py',
      'registry.py',
      'reports.py',
      'retrain.py',
      'samples.py',
      'schemas.py',
      'serve.py',
      'server.py',
      'sources.py',
      'splits.py',
      'streams.py',
      'spark.py',
      'spark_paths.py',
      'spark_session.py',
      'spark_worker.py',
      'tables.py',
      'threads.py',
      'train.py',
      'writers.py',
    ],
  },
  {
    folder: 'tests',
    files: [
      'conftest.py.ejs',
      'test_api.py.ejs',
      'test_artifact.py.ejs',
      'test_auth.py.ejs',
      'test_batching.py.ejs',
      'test_batch.py.ejs',
      'test_cli.py.ejs',
      'test_config.py.ejs',
      'test_data.py.ejs',
      'test_dates.py.ejs',
      { template: 'test_export_onnx.py.ejs', when: (c) => c.exportOnnx },
      { template: 'test_export_pmml.py.ejs', when: (c) => c.exportPmml },
      { template: 'test_export_skops.py.ejs', when: (c) => c.exportSkops },
      { template: 'test_exports_every_model.py.ejs', when: (c) => c.exportList.length > 0 },
      { template: 'test_extra_models.py.ejs', when: (c) => c.extraModelList.length > 0 },
      'test_features.py.ejs',
      'test_model.py.ejs',
      'test_monitor.py.ejs',
      'test_plots.py.ejs',
      'test_predict.py.ejs',
      'test_registry.py.ejs',
      'test_reports.py.ejs',
      'test_retrain.py.ejs',
      'test_server.py.ejs',
      'test_spark.py.ejs',
    ],
  },
  // Custom feature transformers: the registry always (empty without any), and per feature its class and test.
  { folder: 'src/_module_/transformers', files: ['__init__.py.ejs'] },
  { folder: 'src/_module_/transformers', perFeature: true, files: ['_feature_name_.py.ejs'] },
  { folder: 'tests', perFeature: true, files: ['test_feature__feature_name_.py.ejs'] },
  // docs: the site (mkdocs.yml) and the plugin that writes its data, model card and API pages.
  { folder: '', addon: 'docs', files: ['mkdocs.yml.ejs'] },
  { folder: 'src/_module_', addon: 'docs', files: ['docs_site.py'] },
  { folder: 'tests', addon: 'docs', files: ['test_docs.py.ejs'] },
  // mlflow: each training logged as an MLflow run.
  { folder: 'src/_module_', addon: 'mlflow', files: ['tracking.py'] },
  { folder: 'tests', addon: 'mlflow', files: ['test_tracking.py.ejs'] },
  // dvc: the pipeline's stages, and DVC's own settings (what `dvc init` would write).
  { folder: '', addon: 'dvc', files: ['dvc.yaml.ejs', 'dot_dvcignore', 'dot_dvc/config', 'dot_dvc/dot_gitignore'] },
];

/** In a per-feature template's path: the feature's name. */
const FEATURE_TOKEN = '_feature_name_';

/** One file to write: a template (rendered or copied) or the user's own data file. */
export interface PlannedFile {
  /** Absolute path of the user's file, or a path under templates/project/. */
  from: string;
  to: string;
  kind: 'render' | 'copy' | 'user-file';
  /** What a per-feature template sees beside the context. */
  locals?: { feature: CustomFeature };
}

/** Output path of a template path, by the rules above. */
export function outputPath(template: string, ctx: Pick<TemplateContext, 'moduleName' | 'initials'>): string {
  return template
    .replace(/\.ejs$/, '')
    .split('/')
    .map((segment) =>
      segment
        .replace(/^dot_/, '.')
        .replace(/^_module_$/, ctx.moduleName)
        .replace(/_initials_/g, ctx.initials),
    )
    .join('/');
}

/** Every template path the manifest can name, whatever the answers (for the completeness test). */
export function allTemplates(): string[] {
  return MANIFEST.flatMap((section) =>
    section.files.map((file) => join(section.folder, typeof file === 'string' ? file : file.template)),
  );
}

/** The add-ons that have files in the manifest (a unit test checks that every add-on has). */
export function addonsWithFiles(): AddonName[] {
  return [...new Set(MANIFEST.flatMap((section) => (section.addon ? [section.addon] : [])))];
}

/** The files to write for these answers, in manifest order; the user's data file last. */
export function planFiles(ctx: TemplateContext): PlannedFile[] {
  const planned: PlannedFile[] = [];
  for (const section of MANIFEST) {
    if (section.when && !section.when(ctx)) continue;
    if (section.addon && !ctx.addon[section.addon]) continue;
    for (const feature of section.perFeature ? ctx.customFeatures : [undefined]) {
      for (const file of section.files) {
        const entry: FileEntry = typeof file === 'string' ? { template: file } : file;
        if (entry.when && !entry.when(ctx)) continue;
        const template = join(section.folder, entry.template);
        const to = entry.to ? join(section.folder, entry.to) : outputPath(template, ctx);
        planned.push({
          from: template,
          to: feature ? to.replace(FEATURE_TOKEN, feature.name) : to,
          kind: template.endsWith('.ejs') ? 'render' : 'copy',
          ...(feature ? { locals: { feature } } : {}),
        });
      }
    }
  }
  const dataPath = projectDataPath(ctx);
  if (dataPath && ctx.dataPath) planned.push({ from: ctx.dataPath, to: dataPath, kind: 'user-file' });
  return planned;
}

function join(folder: string, file: string): string {
  return folder ? `${folder}/${file}` : file;
}
