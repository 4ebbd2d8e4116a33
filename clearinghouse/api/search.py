"""API endpoints for search (filled in by the search work)."""

PATHS: dict = {}
