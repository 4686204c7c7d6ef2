import { INSTALLED_DISTRIBUTIONS, INSTALLED_IMPORT_NAMES } from './python-deps.js';
import { PYTHON_KEYWORDS, PYTHON_STDLIB, RESERVED_PACKAGES } from './python-names.js';

/**
 * Name rules, as pure functions: each returns `true` or a sentence that tells the user what to type
 * instead. Prompts show the sentence; flags turn it into an exit-code-2 error.
 */

/** A distribution name valid for PyPI (PEP 508) that is also a safe directory name. */
const PROJECT_NAME = /^[a-z0-9](?:[a-z0-9._-]*[a-z0-9])?$/;
const MODULE_NAME = /^[a-z_][a-z0-9_]*$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Longest project or module name: a readable distribution name, far below file-name limits. */
export const MAX_NAME_LENGTH = 64;

export function validateProjectName(value: string): true | string {
  if (!value) return 'The project name is required, e.g. "churn-model".';
  if (value.length > MAX_NAME_LENGTH) {
    return `The project name is too long (${value.length} characters; ${MAX_NAME_LENGTH} at most).`;
  }
  if (!PROJECT_NAME.test(value)) {
    return (
      `"${value}" is not a valid project name: use lowercase letters, digits, "-", "_" or ".", ` +
      'starting and ending with a letter or digit, e.g. "churn-model".'
    );
  }
  if (INSTALLED_DISTRIBUTIONS.has(normalizeDistribution(value))) {
    return `"${value}" is the name of a package the project installs, so pip and uv could not install both; choose another name.`;
  }
  return true;
}

/** PEP 503 normalization: names that differ only in case and runs of "-", "_", "." are the same. */
export function normalizeDistribution(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

/**
 * The project name a folder name suggests: "Churn Model" -> "churn-model". Falls back to "my-project"
 * when nothing usable is left, and avoids the names of the project's own dependencies.
 */
export function projectNameFor(folderName: string): string {
  let name = folderName
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, '')
    .slice(0, MAX_NAME_LENGTH)
    .replace(/[^a-z0-9]+$/, '');
  if (!name) name = 'my-project';
  if (validateProjectName(name) !== true) name = `${name.slice(0, MAX_NAME_LENGTH - 8)}-project`;
  return validateProjectName(name) === true ? name : 'my-project';
}

/** The module name a project name suggests: lowercase, separators become "_", a leading digit gets a prefix. */
export function moduleNameFor(projectName: string): string {
  let name = projectName.toLowerCase().replace(/[^a-z0-9_]+/g, '_').replace(/^_+|_+$/g, '');
  if (!name) name = 'pipeline';
  if (/^[0-9]/.test(name)) name = `ml_${name}`;
  name = name.slice(0, MAX_NAME_LENGTH).replace(/_+$/, '');
  if (validateModuleName(name) !== true) name = `${name.slice(0, MAX_NAME_LENGTH - 9)}_pipeline`;
  return name;
}

export function validateModuleName(value: string): true | string {
  if (!value) return 'The module name is required, e.g. "churn_model".';
  if (value.length > MAX_NAME_LENGTH) {
    return `The module name is too long (${value.length} characters; ${MAX_NAME_LENGTH} at most).`;
  }
  if (!MODULE_NAME.test(value)) {
    return (
      `"${value}" is not a valid Python module name: use lowercase letters, digits and "_", ` +
      'not starting with a digit, e.g. "churn_model".'
    );
  }
  if (PYTHON_KEYWORDS.has(value)) return `"${value}" is a Python keyword; choose another module name.`;
  if (PYTHON_STDLIB.has(value)) {
    return `"${value}" would shadow Python's standard library module of that name; choose another module name.`;
  }
  if (INSTALLED_IMPORT_NAMES.has(value)) {
    return `"${value}" is the import name of a package the project installs, so it would shadow it; choose another module name.`;
  }
  if (RESERVED_PACKAGES.has(value)) {
    return `"${value}" would collide with a common package or folder of that name; choose another module name.`;
  }
  return true;
}

export function validateEmail(value: string): true | string {
  if (!value || EMAIL.test(value)) return true;
  return `"${value}" is not an e-mail address (expected name@example.com, or leave it empty).`;
}

export function validateAuthorName(value: string): true | string {
  if (/[\n\r]/.test(value)) return 'The author name must fit on one line.';
  return true;
}

/** Initials for the notebook naming convention `<step>-<initials>-<description>.ipynb`. */
export function initialsOf(authorName: string): string {
  const letters = authorName
    .normalize('NFKD')
    .replace(/[^\p{L}\s-]/gu, '')
    .split(/[\s-]+/)
    .filter(Boolean)
    .map((word) => word[0]!.toLowerCase())
    .filter((ch) => /[a-z]/.test(ch))
    .join('');
  return letters.slice(0, 3) || 'xx';
}

/** A custom feature's name: lowercase words of letters and digits joined by single "_" (log_income). */
const FEATURE_NAME = /^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$/;
/**
 * Names a feature's class may not take: what its module imports (a class named BaseEstimator would
 * hide the one it subclasses).
 */
const TRANSFORMER_MODULE_NAMES: ReadonlySet<string> = new Set(['BaseEstimator', 'TransformerMixin', 'Any']);

/** The class a custom feature's module defines: log_income -> LogIncome. */
export function featureClassName(name: string): string {
  return name
    .split('_')
    .filter(Boolean)
    .map((word) => word[0]!.toUpperCase() + word.slice(1))
    .join('');
}

/**
 * Why `value` cannot name a custom feature (a module src/<module>/transformers/<value>.py, its class,
 * tests/test_feature_<value>.py and the key features.custom.<value> in config), or true. `taken` are
 * module names of the project it would clash with.
 */
export function validateFeatureName(value: string, taken: ReadonlySet<string> = new Set()): true | string {
  if (!value) return 'A feature name is required, e.g. log_income.';
  if (value.length > MAX_NAME_LENGTH) {
    return `The feature name "${value}" is too long (${value.length} characters; ${MAX_NAME_LENGTH} at most).`;
  }
  if (!FEATURE_NAME.test(value)) {
    return (
      `"${value}" is not a valid feature name: it names a Python module and a config key, so use lowercase ` +
      'letters and digits in words joined by single "_", starting with a letter, e.g. log_income.'
    );
  }
  if (PYTHON_KEYWORDS.has(value)) return `"${value}" is a Python keyword; choose another feature name.`;
  if (value === 'none') return '"none" means "no feature" in the list; choose another feature name.';
  if (taken.has(value)) {
    return `"${value}" is the name of a module of this project, so the feature's module would clash with it; choose another name, e.g. ${value}_feature.`;
  }
  if (TRANSFORMER_MODULE_NAMES.has(featureClassName(value))) {
    return `"${value}" would name its class ${featureClassName(value)}, a name its module imports; choose another feature name.`;
  }
  return true;
}
