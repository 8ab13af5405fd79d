"""One module per ``besa import`` source: argument parsing and the report, nothing else."""
