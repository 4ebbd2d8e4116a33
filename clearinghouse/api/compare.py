"""API endpoints for compare (filled in by the compare work)."""

PATHS: dict = {}
