"""Sign-in, sign-out, accounts and API tokens."""
