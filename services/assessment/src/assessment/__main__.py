"""`python -m assessment [--on YYYY-MM-DD] < case.json`: the calculator (docs/calculator.md).

Its wiring is here rather than in main.py so the command does not load the web service's stack.
"""

import sys
from datetime import date
from typing import TextIO

from assessment.adapters.rulesets import load_rulebook
from assessment.entrypoints.cli import calculate


def main(
    argv: list[str] | None = None,
    stdin: TextIO = sys.stdin,
    stdout: TextIO = sys.stdout,
    today: date | None = None,
) -> int:
    return calculate(argv, stdin, stdout, load_rulebook(), today or date.today())


if __name__ == "__main__":
    sys.exit(main())
