"""`python -m lstm_sym` runs the CLI."""

import sys

from .cli import main

if __name__ == "__main__":  # worker processes may import this module again
    sys.exit(main())
