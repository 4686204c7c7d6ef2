/**
 * The one TypeScript source for what the generated project knows by name: tasks, bundled datasets,
 * models (with their scikit-learn estimators and default hyper-parameters) and metrics. The question
 * table, the templates and docs read these lists; the generated Python package has its own registries
 * (data.BUNDLED_DATASETS, estimators.REGISTRY, metrics.METRICS), and an end-to-end test compares the two.
 */

export const TASKS = ['classification', 'regression'] as const;
export type Task = (typeof TASKS)[number];

export const TASK_INFO: Record<Task, { description: string; primaryMetric: string }> = {
  classification: { description: 'predict a class, e.g. churned yes/no or a species', primaryMetric: 'accuracy' },
  regression: { description: 'predict a number, e.g. a price or a duration', primaryMetric: 'rmse' },
};

/** Metric name -> true when greater is better (the gate and the baseline comparison use this). */
export const METRICS: Record<Task, Record<string, boolean>> = {
  classification: { accuracy: true, balanced_accuracy: true, f1_macro: true, roc_auc: true },
  regression: { rmse: false, mae: false, r2: true },
};

export interface Gate {
  min: Record<string, number>;
  max: Record<string, number>;
}

export interface BundledDataset {
  task: Task;
  description: string;
  /** Thresholds this sample comfortably passes: a working gate from the first run. */
  gate: Gate;
  /** One row of the sample without its target, as the README's curl example sends it. */
  example: Record<string, number>;
}

/** scikit-learn's bundled sample datasets: they ship with scikit-learn, nothing is downloaded. */
export const BUNDLED_DATASETS = {
  iris: {
    task: 'classification',
    description: '150 flowers, 4 measurements, 3 species: the classic first model',
    gate: { min: { accuracy: 0.85, f1_macro: 0.85 }, max: {} },
    example: { sepal_length_cm: 5.1, sepal_width_cm: 3.5, petal_length_cm: 1.4, petal_width_cm: 0.2 },
  },
  wine: {
    task: 'classification',
    description: '178 wines, 13 chemical measurements, 3 cultivars',
    gate: { min: { accuracy: 0.85, f1_macro: 0.85 }, max: {} },
    example: {
      alcohol: 14.23, malic_acid: 1.71, ash: 2.43, alcalinity_of_ash: 15.6, magnesium: 127.0, total_phenols: 2.8,
      flavanoids: 3.06, nonflavanoid_phenols: 0.28, proanthocyanins: 2.29, color_intensity: 5.64, hue: 1.04,
      od280_od315_of_diluted_wines: 3.92, proline: 1065.0,
    },
  },
  breast_cancer: {
    task: 'classification',
    description: '569 tumours, 30 measurements, malignant or benign (two classes)',
    gate: { min: { accuracy: 0.9, roc_auc: 0.95 }, max: {} },
    example: {
      mean_radius: 17.99, mean_texture: 10.38, mean_perimeter: 122.8, mean_area: 1001.0, mean_smoothness: 0.1184,
      mean_compactness: 0.2776, mean_concavity: 0.3001, mean_concave_points: 0.1471, mean_symmetry: 0.2419,
      mean_fractal_dimension: 0.07871, radius_error: 1.095, texture_error: 0.9053, perimeter_error: 8.589,
      area_error: 153.4, smoothness_error: 0.006399, compactness_error: 0.04904, concavity_error: 0.05373,
      concave_points_error: 0.01587, symmetry_error: 0.03003, fractal_dimension_error: 0.006193, worst_radius: 25.38,
      worst_texture: 17.33, worst_perimeter: 184.6, worst_area: 2019.0, worst_smoothness: 0.1622,
      worst_compactness: 0.6656, worst_concavity: 0.7119, worst_concave_points: 0.2654, worst_symmetry: 0.4601,
      worst_fractal_dimension: 0.1189,
    },
  },
  diabetes: {
    task: 'regression',
    description: '442 patients, 10 measurements, disease progression one year later',
    gate: { min: { r2: 0.3 }, max: { rmse: 65.0 } },
    example: { age: 59, sex: 2, bmi: 32.1, bp: 101, s1: 157, s2: 93.2, s3: 38, s4: 4, s5: 4.8598, s6: 87 },
  },
} as const satisfies Record<string, BundledDataset>;

export type BundledName = keyof typeof BUNDLED_DATASETS;
/** The dataset answer for the user's own file (CSV or Parquet). */
export const OWN_DATA = 'csv';
export const OWN_DATA_DESCRIPTION = 'your own file: CSV or Parquet, copied unchanged into data/raw/';

/** A hyper-parameter that config/config.yaml starts with: its default and what it does. */
export interface ParamInfo {
  value: number | string | boolean | null;
  /** Written as a float (1.0, not 1): scikit-learn takes either, but the reader sees the type. */
  float?: true;
  /** One short line, written beside the value in config/config.yaml. */
  help: string;
}

export interface ModelInfo {
  /** The scikit-learn estimator class per task. */
  estimator: Record<Task, string>;
  /** The scikit-learn module holding those classes: their documentation pages are named after it. */
  module: string;
  /** What it is good for, per task (prompt choices, --help, docs). */
  description: Record<Task, string>;
  /** The hyper-parameters written to config/config.yaml, per task. */
  params: Record<Task, Record<string, ParamInfo>>;
  /** Sensitive to the scale of the features: its numeric columns are standardized (estimators.NEEDS_SCALING). */
  scaled?: true;
}

const FOREST_PARAMS = {
  n_estimators: { value: 200, help: 'number of trees' },
  max_depth: { value: null, help: 'null: grow each tree until its leaves are pure' },
  min_samples_leaf: { value: 1, help: 'fewest training rows in a leaf; larger smooths' },
} as const satisfies Record<string, ParamInfo>;

const BOOSTING_PARAMS = {
  max_iter: { value: 200, help: 'number of boosting rounds (trees)' },
  learning_rate: { value: 0.1, help: 'how much each tree corrects the last; smaller is slower, steadier' },
  max_leaf_nodes: { value: 31, help: 'leaves per tree' },
} as const satisfies Record<string, ParamInfo>;

const GRADIENT_BOOSTING_PARAMS = {
  n_estimators: { value: 100, help: 'number of boosting rounds (trees)' },
  learning_rate: { value: 0.1, help: 'how much each tree corrects the last; smaller is slower, steadier' },
  max_depth: { value: 3, help: 'depth of each tree' },
} as const satisfies Record<string, ParamInfo>;

const TREE_PARAMS = {
  max_depth: { value: 6, help: 'levels of questions; null grows until leaves are pure (overfits)' },
  min_samples_leaf: { value: 5, help: 'fewest training rows in a leaf; larger smooths' },
} as const satisfies Record<string, ParamInfo>;

export const MODELS = {
  random_forest: {
    estimator: { classification: 'RandomForestClassifier', regression: 'RandomForestRegressor' },
    module: 'sklearn.ensemble',
    description: {
      classification: 'many decision trees voting; a strong default that needs little tuning',
      regression: 'many decision trees averaged; a strong default that needs little tuning',
    },
    params: { classification: FOREST_PARAMS, regression: FOREST_PARAMS },
  },
  hist_gradient_boosting: {
    estimator: { classification: 'HistGradientBoostingClassifier', regression: 'HistGradientBoostingRegressor' },
    module: 'sklearn.ensemble',
    description: {
      classification: 'boosted trees; fast on large tables and handles missing values natively',
      regression: 'boosted trees; fast on large tables and handles missing values natively',
    },
    params: { classification: BOOSTING_PARAMS, regression: BOOSTING_PARAMS },
  },
  linear: {
    estimator: { classification: 'LogisticRegression', regression: 'Ridge' },
    module: 'sklearn.linear_model',
    description: {
      classification: 'logistic regression; a fast baseline whose coefficients explain themselves',
      regression: 'ridge (L2-regularized linear) regression; a fast baseline whose coefficients explain themselves',
    },
    params: {
      classification: {
        C: { value: 1.0, float: true, help: 'inverse regularization strength: smaller is simpler' },
        max_iter: { value: 1000, help: 'solver iterations before giving up' },
      },
      regression: { alpha: { value: 1.0, float: true, help: 'regularization strength: larger is simpler' } },
    },
    scaled: true,
  },
} as const satisfies Record<string, ModelInfo>;

/**
 * Well-known estimators a project includes on demand: chosen at creation (`--model svm`,
 * `--extra-models svm,knn`) or added later (`mlpipeline model svm`, `yo mlpipeline:model svm`). Every
 * project has the MODELS above; these join them in estimators.REGISTRY, config/config.yaml and a test.
 * Defaults are chosen to beat the dummy baseline on every bundled sample.
 */
export const EXTRA_MODELS = {
  svm: {
    estimator: { classification: 'SVC', regression: 'SVR' },
    module: 'sklearn.svm',
    description: {
      classification:
        'support vector machine (RBF kernel); strong on small, scaled tables, slow beyond ~50,000 rows; ' +
        'probabilities by cross-validated calibration',
      regression: 'support vector regression (RBF kernel); strong on small, scaled tables, slow beyond ~50,000 rows',
    },
    params: {
      classification: {
        C: { value: 1.0, float: true, help: 'inverse regularization strength: smaller is smoother' },
        kernel: { value: 'rbf', help: 'rbf | linear | poly | sigmoid' },
        gamma: { value: 'scale', help: "reach of one row for rbf: 'scale', or a number (larger is more local)" },
      },
      regression: {
        C: { value: 100.0, float: true, help: 'inverse regularization strength, in units of the target' },
        epsilon: { value: 0.1, help: 'errors smaller than this are not penalized (target units)' },
        kernel: { value: 'rbf', help: 'rbf | linear | poly | sigmoid' },
      },
    },
    scaled: true,
  },
  knn: {
    estimator: { classification: 'KNeighborsClassifier', regression: 'KNeighborsRegressor' },
    module: 'sklearn.neighbors',
    description: {
      classification: 'k nearest neighbours vote; no training, slower prediction on large tables',
      regression: 'k nearest neighbours averaged; no training, slower prediction on large tables',
    },
    params: {
      classification: {
        n_neighbors: { value: 5, help: 'neighbours consulted per prediction' },
        weights: { value: 'uniform', help: 'uniform | distance (nearer neighbours count more)' },
      },
      regression: {
        n_neighbors: { value: 5, help: 'neighbours consulted per prediction' },
        weights: { value: 'uniform', help: 'uniform | distance (nearer neighbours count more)' },
      },
    },
    scaled: true,
  },
  extra_trees: {
    estimator: { classification: 'ExtraTreesClassifier', regression: 'ExtraTreesRegressor' },
    module: 'sklearn.ensemble',
    description: {
      classification: 'extremely randomized trees voting; like random_forest, faster to fit, often as good',
      regression: 'extremely randomized trees averaged; like random_forest, faster to fit, often as good',
    },
    params: { classification: FOREST_PARAMS, regression: FOREST_PARAMS },
  },
  gradient_boosting: {
    estimator: { classification: 'GradientBoostingClassifier', regression: 'GradientBoostingRegressor' },
    module: 'sklearn.ensemble',
    description: {
      classification: 'classic gradient-boosted trees; accurate on small tables, slower than hist_gradient_boosting',
      regression: 'classic gradient-boosted trees; accurate on small tables, slower than hist_gradient_boosting',
    },
    params: { classification: GRADIENT_BOOSTING_PARAMS, regression: GRADIENT_BOOSTING_PARAMS },
  },
  decision_tree: {
    estimator: { classification: 'DecisionTreeClassifier', regression: 'DecisionTreeRegressor' },
    module: 'sklearn.tree',
    description: {
      classification: 'one decision tree; rules a person can read, less accurate than an ensemble',
      regression: 'one decision tree; rules a person can read, less accurate than an ensemble',
    },
    params: { classification: TREE_PARAMS, regression: TREE_PARAMS },
  },
} as const satisfies Record<string, ModelInfo>;

/** Every model the catalog knows: those every project has, then those added on demand. */
export const ALL_MODELS: Record<ModelName, ModelInfo> = { ...MODELS, ...EXTRA_MODELS };
export type CoreModelName = keyof typeof MODELS;
export type ExtraModelName = keyof typeof EXTRA_MODELS;
export type ModelName = CoreModelName | ExtraModelName;
export const CORE_MODEL_NAMES = Object.keys(MODELS) as CoreModelName[];
export const EXTRA_MODEL_NAMES = Object.keys(EXTRA_MODELS) as ExtraModelName[];
export const MODEL_NAMES: ModelName[] = [...CORE_MODEL_NAMES, ...EXTRA_MODEL_NAMES];

/** The datasets a task may use: its bundled samples, then the user's own file. */
export function datasetsFor(task: Task): string[] {
  const bundled = Object.entries(BUNDLED_DATASETS)
    .filter(([, info]) => info.task === task)
    .map(([name]) => name);
  return [...bundled, OWN_DATA];
}

export const ALL_DATASETS: readonly string[] = [...Object.keys(BUNDLED_DATASETS), OWN_DATA];

/**
 * Add-ons: optional parts of the project, chosen at creation (`--add docker,ci`) or added later inside
 * the project (`mlpipeline add docker`, `yo mlpipeline:docker`). The question table, the file manifest
 * (a section per add-on), the sub-generators (generators/<name>/), the bin and the docs derive from
 * this list; each sub-generator folder is a one-line file, and a unit test checks that they match.
 */
export interface AddonInfo {
  /** What it adds and why (the checkbox prompt, --help, docs/options.md, `mlpipeline add --help`). */
  description: string;
  /** What to run once it is there: printed after `mlpipeline add`. */
  next: string;
}

/**
 * The uv release that the Dockerfile (its default; `make docker-build` passes the local uv's) and the CI
 * workflow install the lock with.
 */
export const UV_VERSION = '0.13.9';

/**
 * The Poetry release that the Dockerfile (its default; `make docker-build` passes the local Poetry's) and
 * the CI workflow install poetry.lock with. Poetry 2 is the first to read pyproject.toml's [project] table.
 */
export const POETRY_VERSION = '2.5.1';

export const ADDON_INFO = {
  docker: {
    description:
      'a multi-stage Dockerfile that serves the API (slim base, runtime dependencies only from the lock, ' +
      'non-root user, health check), a .dockerignore, make docker-build and docker-run',
    next: 'make docker-build && make docker-run (see the README, "Docker")',
  },
  ci: {
    description:
      'a GitHub Actions workflow (.github/workflows/ci.yml): install with the project\'s installer and its ' +
      'cache, lint, test, and a quick training run on every push and pull request',
    next: 'commit and push .github/workflows/ci.yml: GitHub runs it on every push (see the README, "Continuous integration")',
  },
  precommit: {
    description:
      'pre-commit hooks run from the project\'s .venv, with nothing to download: ruff check, ruff format, ' +
      'and notebook outputs stripped before each commit',
    next: 'make precommit (installs the git hook and checks every file; see the README, "Pre-commit hooks")',
  },
  docs: {
    description:
      'a documentation site (MkDocs with Material; make docs): the project, the data, the production model\'s card, ' +
      'and the API from its OpenAPI document; built strict, read offline',
    next: 'make docs (the site in site/; make docs-serve to preview it)',
  },
  mlflow: {
    description:
      'each training logged as an MLflow run: parameters, metrics, figures and the model\'s files, to a local store ' +
      'in mlruns/ or MLFLOW_TRACKING_URI (config mlflow.enabled; make mlflow-ui)',
    next: 'make train (each training is logged as an MLflow run), then make mlflow-ui to browse the runs',
  },
  dvc: {
    description:
      'a DVC pipeline (dvc.yaml; make repro): data -> train -> evaluate with their dependencies, outputs, metrics and ' +
      'params from config/config.yaml; a second run does nothing',
    next: 'make repro (dvc repro: runs only the stages whose inputs changed), then commit dvc.lock',
  },
} as const satisfies Record<string, AddonInfo>;

export type AddonName = keyof typeof ADDON_INFO;
export const ADDONS = Object.keys(ADDON_INFO) as AddonName[];
