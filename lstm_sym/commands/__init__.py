"""One module per CLI subcommand; see lstm_sym/cli.py for the protocol."""
