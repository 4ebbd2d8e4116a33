"""The people of a mapping audit: a practice lead and a worker, and those who must not see it."""

import pytest
from factories import make_user


@pytest.fixture
def people(users):
    """Return the north manager (lead) and practitioner (worker), others of north, and south's."""
    return {
        "lead": users["manager"],
        "worker": users["practitioner"],
        "editor": users["editor"],
        "other_manager": make_user("manager", "north", email="m2@north.example", name="Second"),
        "other_worker": make_user(
            "practitioner", "north", email="p2@north.example", name="Other worker"
        ),
        "south_manager": make_user("manager", "south", name="South manager"),
        "south_worker": users["south_practitioner"],
        "admin": users["admin"],
    }
