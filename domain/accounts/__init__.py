"""Accounts and tokens: sign-in, sessions, API tokens, external identities, user admin."""
