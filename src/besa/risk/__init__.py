"""Risk analytics: execution-phase flags, the corruption risk index, networks, audit ranking."""
