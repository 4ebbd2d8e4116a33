"""seed-demo gives each demo authority a realistic profile, once."""

import json

import pytest

from clearinghouse.extensions import db
from clearinghouse.models import ProfileVersion
from clearinghouse.paths import PROJECT_ROOT
from clearinghouse.profiles.validate import profile_problems

SLUGS = ("ashdown", "brackwater", "fernmouth")


@pytest.mark.parametrize("slug", SLUGS)
def test_each_demo_profile_is_a_valid_authority_object(app, slug):
    path = PROJECT_ROOT / "policies" / slug / "profile.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    assert profile_problems(data) == []
    assert data["solicitors"] and data["complaints"]["phone"] and data["legal_services"]["name"]


def test_seed_demo_loads_each_profile_once(runner):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    versions = db.session.scalars(db.select(ProfileVersion)).all()
    assert sorted(v.authority.slug for v in versions) == sorted(SLUGS)
    assert {v.data["name"] for v in versions} == {
        "Ashdown County Council",
        "Brackwater Borough Council",
        "Fernmouth City Council",
    }
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    assert db.session.scalar(db.select(db.func.count(ProfileVersion.id))) == 3
