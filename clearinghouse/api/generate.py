"""API endpoints for generate (filled in by the generate work)."""

PATHS: dict = {}
