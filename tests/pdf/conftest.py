"""PDF tests use generation's small library where they upload an authority's template."""

from generation.conftest import gen_app, library_root  # noqa: F401 - the shared fixtures
