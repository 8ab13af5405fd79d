"""The ``besa`` subcommands (Django management commands): thin wrappers over domain code."""
