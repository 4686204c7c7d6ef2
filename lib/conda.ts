/**
 * The conda environment of a project whose installer is conda: environment.yml lists the dependencies
 * of the rendered pyproject.toml (runtime and the dev extra), so that the one list stays in one place.
 * conda-forge names most Python distributions as PyPI does; the few it lacks, and requirements with an
 * environment marker (which conda cannot evaluate), go to the file's pip section.
 */
import { parse } from 'smol-toml';

/**
 * Distributions (PEP 503-normalized) to install with pip inside the environment rather than from
 * conda-forge: packages that conda-forge does not carry, or not under a name we can vouch for.
 */
export const PIP_ONLY: ReadonlySet<string> = new Set(['httpx2', 'jpmml-evaluator', 'neoteroi-mkdocs', 'sklearn2pmml']);

export interface CondaEnvironment {
  /** conda-forge match specs ("numpy>=1.26"), in pyproject.toml order. */
  conda: string[];
  /** Requirements for pip, as pyproject.toml writes them (markers kept), then the project itself. */
  pip: string[];
}

/** A requirement's distribution name, PEP 503-normalized: "Pyspark[sql]==4" -> "pyspark". */
export function distributionName(requirement: string): string {
  const name = /^\s*([A-Za-z0-9][A-Za-z0-9._-]*)/.exec(requirement)?.[1];
  if (!name) throw new Error(`not a requirement: ${requirement}`);
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

/** The runtime dependencies and the dev extra of a pyproject.toml's text. */
export function projectRequirements(pyprojectToml: string): string[] {
  const project = (parse(pyprojectToml) as { project?: { dependencies?: string[]; 'optional-dependencies'?: Record<string, string[]> } }).project;
  return [...(project?.dependencies ?? []), ...(project?.['optional-dependencies']?.['dev'] ?? [])];
}

/** Where each requirement of pyproject.toml goes in environment.yml; `-e .` installs the project. */
export function condaEnvironment(pyprojectToml: string): CondaEnvironment {
  const conda: string[] = [];
  const pip: string[] = [];
  for (const requirement of projectRequirements(pyprojectToml)) {
    const name = distributionName(requirement);
    if (requirement.includes(';') || requirement.includes('[') || PIP_ONLY.has(name)) {
      pip.push(requirement);
    } else {
      const spec = requirement.slice(/^\s*[A-Za-z0-9][A-Za-z0-9._-]*/.exec(requirement)![0].length).replace(/\s+/g, '');
      conda.push(`${name}${spec}`);
    }
  }
  // The project itself, editable: every dependency is listed above, so pip finds them installed.
  pip.push('-e .');
  return { conda, pip };
}
