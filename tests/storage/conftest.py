"""Every test here that uses the app runs once per blob store, unless marked for some stores."""

STORES = ("folder", "database")


def pytest_configure(config):
    """Register the blob_stores marker."""
    config.addinivalue_line(
        "markers", "blob_stores(*names): run this test only against these blob stores"
    )


def pytest_generate_tests(metafunc):
    """Give the app fixture each store's BLOB_STORE (or the marked ones)."""
    if "app" not in metafunc.fixturenames:
        return
    marker = metafunc.definition.get_closest_marker("blob_stores")
    stores = marker.args if marker else STORES
    metafunc.parametrize("app", [{"BLOB_STORE": s} for s in stores], ids=stores, indirect=True)
