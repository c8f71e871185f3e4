"""`python -m lstm_sym` runs the CLI."""

import sys

from lstm_sym.cli.app import main

if __name__ == "__main__":  # worker processes may import this module again
    sys.exit(main())
