"""Allow `python -m <package>` as an alternative to the console script."""

from .cli import run

run()
