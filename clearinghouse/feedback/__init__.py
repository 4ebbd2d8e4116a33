"""Families' feedback: one-time codes, the public form, paper forms and the summary."""
