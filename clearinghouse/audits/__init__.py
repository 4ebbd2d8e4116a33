"""Mapping audits: a practice lead and the case's worker rate a mapping together."""
