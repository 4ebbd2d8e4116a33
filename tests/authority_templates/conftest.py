"""Authority templates are tested against generation's small library in a tmp folder."""

from generation.conftest import gen_app, library_root  # noqa: F401 - the shared fixtures
