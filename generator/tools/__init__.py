"""Around the build: synthetic data, the benchmark and the case-mix simulation."""
