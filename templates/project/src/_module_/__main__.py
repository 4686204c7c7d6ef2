"""Allow `python -m <package>` as an alternative to the console script."""

from .cli import run

# The guard keeps the worker processes of `serve --workers N`, which import this module again,
# from running the command line themselves.
if __name__ == "__main__":
    run()
