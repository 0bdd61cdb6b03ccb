"""Demo and synthetic data: the demo world, `icmc demo`, `icmc generate` and the benchmark data."""

# The password of every demo login (`icmc demo` prints it). Demo data is refused in production.
DEMO_PASSWORD = "icmc-demo-2026"

# The TOTP key (base32, as authenticator apps take it) of every demo user's second factor, so that a person can
# add it to an authenticator app and log in to the demo. Only demo data has it; real users enrol their own.
DEMO_TOTP_SECRET = "ICMCDEMOICMCDEMOICMCDEMOICMCDEMO"
