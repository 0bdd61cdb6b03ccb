"""Identity: the second factor (TOTP + recovery codes), session lifetime, step-up re-authentication."""
