"""The project's machine-learning pipeline: data -> features -> train -> evaluate -> predict/serve.

Each step is one module, so reading the package top-down reads the pipeline. Heavy libraries are
imported by the step modules, not here, so `import <package>` stays fast for the CLI and tests.
"""
