"""`python -m <package>`, as the console script. It also runs as a file, which is how
`spark-submit` takes a Python program: `spark-submit src/<package>/__main__.py predict ...`."""

if __package__:
    from .cli import run
else:  # run as a file: import the installed package, named as this folder
    import sys
    from importlib import import_module
    from pathlib import Path

    here = Path(__file__).resolve().parent
    # Python put this folder first on sys.path, where data.py or errors.py would hide any
    # top-level module of those names that a library imports.
    sys.path[:] = [entry for entry in sys.path if Path(entry or ".").resolve() != here]
    run = import_module(f"{here.name}.cli").run

run()
