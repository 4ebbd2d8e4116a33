"""API endpoints for documents."""

PATHS: dict = {}
