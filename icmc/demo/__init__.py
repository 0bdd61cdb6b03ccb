"""Demo and synthetic data: the demo world, `icmc demo`, `icmc generate` and the benchmark data."""

# The password of every demo login (`icmc demo` prints it). Demo data is refused in production.
DEMO_PASSWORD = "icmc-demo-2026"
