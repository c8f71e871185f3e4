"""`python -m lstm_sym` runs the CLI."""

import sys

from .cli import main

sys.exit(main())
