"""The demo data set: a realistic, deterministic (seeded) registry for trying BESA out."""
