"""API endpoints for templates (filled in by the templates work)."""

PATHS: dict = {}
