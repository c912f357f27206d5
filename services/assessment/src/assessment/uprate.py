"""`python -m assessment.uprate`: the yearly uprating job (entrypoints/uprating.py; wired in
main.py)."""

import sys

from assessment.main import uprating_command

if __name__ == "__main__":
    sys.exit(uprating_command())
