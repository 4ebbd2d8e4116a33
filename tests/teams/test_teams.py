"""Teams: the service's rules, the pages, the header, the CLI and the demo's teams."""

from html import unescape

import pytest
from csrf_forms import csrf_client, csrf_token

from clearinghouse import accounts
from clearinghouse.errors import Conflict, InvalidInput, NotAuthorized, NotFound
from clearinghouse.extensions import db
from clearinghouse.models import AuditEvent, User
from clearinghouse.permissions import SYSTEM
from clearinghouse.teams import service
from clearinghouse.teams.models import Team

PASSWORD = "a long enough password"


def _text(response) -> str:
    return unescape(response.get_data(as_text=True))


def test_a_manager_adds_renames_and_fills_their_own_authoritys_teams(users):
    manager, practitioner = users["manager"], users["practitioner"]
    north = manager.authority_id
    team = service.team_create(manager, north, "  Referral   and assessment ")
    assert team.name == "Referral and assessment"
    assert service.team_rename(manager, team.id, "Assessment") == (
        "Referral and assessment",
        "Assessment",
    )
    assert service.user_set_team(manager, practitioner.id, team.id) is True
    assert service.user_set_team(manager, practitioner.id, team.id) is False
    assert db.session.get(User, practitioner.id).team_id == team.id
    [info] = service.team_list(manager, north)
    assert (info.name, info.members) == ("Assessment", 1)
    actions = set(db.session.scalars(db.select(AuditEvent.action)))
    assert {"team_created", "team_renamed", "team_member_set"} <= actions


def test_team_names_are_unique_within_an_authority_not_across(users):
    manager, admin = users["manager"], users["admin"]
    service.team_create(manager, manager.authority_id, "Family support")
    with pytest.raises(Conflict) as refused:
        service.team_create(manager, manager.authority_id, "family SUPPORT")
    assert refused.value.code == "team_exists"
    south = users["south_editor"].authority_id
    assert service.team_create(admin, south, "Family support").authority_id == south
    with pytest.raises(InvalidInput):
        service.team_create(manager, manager.authority_id, "x" * 101)
    with pytest.raises(InvalidInput):
        service.team_create(manager, manager.authority_id, "   ")


def test_only_managers_of_the_authority_and_admins_manage_its_teams(users):
    north = users["manager"].authority_id
    south = users["south_editor"].authority_id
    for person in ("practitioner", "editor"):
        with pytest.raises(NotAuthorized):
            service.team_create(users[person], north, "Ours")
    with pytest.raises(NotAuthorized):
        service.team_create(users["manager"], south, "Theirs")
    south_team = service.team_create(users["admin"], south, "Theirs")
    # Another authority's team and people do not exist for north's manager.
    with pytest.raises(NotFound):
        service.team_rename(users["manager"], south_team.id, "Ours now")
    with pytest.raises(NotFound):
        service.user_set_team(users["manager"], users["south_editor"].id, None)
    with pytest.raises(NotFound):
        service.team_authority(users["manager"], "south")


def test_a_team_of_another_authority_cannot_be_given(users):
    south_team = service.team_create(users["admin"], users["south_editor"].authority_id, "South")
    with pytest.raises(InvalidInput) as refused:
        service.user_set_team(users["admin"], users["practitioner"].id, south_team.id)
    assert refused.value.code == "unknown_team"


def test_moving_to_another_authority_leaves_the_old_team(users):
    manager, practitioner = users["manager"], users["practitioner"]
    team = service.team_create(manager, manager.authority_id, "North team")
    service.user_set_team(manager, practitioner.id, team.id)
    accounts.user_change_role(users["admin"], practitioner.id, "practitioner", "south")
    assert db.session.get(User, practitioner.id).team_id is None


def test_the_teams_page_for_a_manager(users, login):
    client = login(users["manager"])
    page = client.get("/teams")
    assert page.status_code == 200
    assert "Northshire County Council" in _text(page)
    added = client.post("/teams", data={"name": "Family support"}, follow_redirects=True)
    assert "Family support added." in _text(added)
    team = db.session.scalar(db.select(Team))
    again = client.post("/teams", data={"name": "Family Support"})
    assert again.status_code == 409
    assert "already has a team with that name" in _text(again)
    assert "govuk-error-summary" in _text(again)
    person = users["practitioner"]
    moved = client.post("/teams/people", data={"person": str(person.id), "team": str(team.id)})
    assert moved.status_code == 302
    assert db.session.get(User, person.id).team_id == team.id
    renamed = client.post("/teams/rename", data={"target": str(team.id), "name": "Support"})
    assert renamed.status_code == 302
    assert db.session.get(Team, team.id).name == "Support"
    # Another authority's people are not there to choose.
    south = client.post("/teams/people", data={"person": str(users["south_editor"].id), "team": ""})
    assert south.status_code == 400
    assert client.get("/teams?authority=south").status_code == 404


def test_the_header_and_admin_page_show_the_persons_team(users, login):
    manager, practitioner = users["manager"], users["practitioner"]
    team = service.team_create(manager, manager.authority_id, "Family support")
    service.user_set_team(manager, practitioner.id, team.id)
    home = _text(login(practitioner).get("/"))
    assert "Signed in as North practitioner, Northshire County Council, Family support" in home
    admin_page = _text(login(users["admin"]).get(f"/admin/users/{practitioner.id}"))
    assert "Family support" in admin_page


def test_admins_choose_an_authority_first(users, login):
    client = login(users["admin"])
    choose = _text(client.get("/teams"))
    assert "Choose the authority" in choose and "/teams?authority=south" in choose
    response = client.post("/teams?authority=south", data={"name": "South team"})
    assert response.status_code == 302
    assert db.session.scalar(db.select(Team.authority_id)) == users["south_editor"].authority_id
    assert client.get("/teams?authority=nowhere").status_code == 404


@pytest.mark.parametrize("person", ["practitioner", "editor", "south_editor"])
def test_others_are_refused_the_teams_pages(users, login, person):
    client = login(users[person])
    for url in ("/teams", "/teams/rename", "/teams/people"):
        assert client.get(url).status_code == 403
        assert client.post(url, data={"name": "X"}).status_code == 403


@pytest.mark.app_settings(csrf=True)
def test_team_forms_need_their_csrf_token(app, users):
    client = csrf_client(app, users["manager"])
    assert client.post("/teams", data={"name": "No token"}).status_code == 400
    assert db.session.scalar(db.select(Team)) is None
    token = csrf_token(client.get("/teams").get_data(as_text=True))
    assert client.post("/teams", data={"name": "Token", "csrf_token": token}).status_code == 302


def test_create_team_and_create_user_with_a_team(runner, authorities):
    made = runner.invoke(args=["create-team", "north", "Family support"])
    assert made.exit_code == 0, made.output
    result = runner.invoke(
        args=["create-user", "w@north.example", "--authority", "north", "--role", "practitioner",
              "--team", "family support"],
        input=f"{PASSWORD}\n{PASSWORD}\n",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "in Family support" in result.output
    user = db.session.scalar(db.select(User).where(User.email == "w@north.example"))
    assert service.team_name(user.team_id) == "Family support"
    # One operation, one commit: the person and their team are one audit event.
    events = db.session.scalars(
        db.select(AuditEvent).where(
            AuditEvent.object_type == "user", AuditEvent.object_id == str(user.id)
        )
    ).all()
    assert [(e.action, e.detail.get("team_to")) for e in events] == [("user_created", user.team_id)]


def test_a_new_user_cannot_join_another_authoritys_team(authorities):
    south_team = service.team_create(SYSTEM, authorities["south"].id, "South team")
    with pytest.raises(InvalidInput):
        accounts.user_create(SYSTEM, email="w@north.example", name="W", role="practitioner",
                    authority_slug="north", password=PASSWORD, team=south_team)  # fmt: skip
    db.session.rollback()
    assert db.session.scalar(db.select(User)) is None


@pytest.mark.parametrize(
    "args, message",
    [
        (["--authority", "north", "--team", "Nowhere"], "has no team called 'Nowhere'"),
        (["--team", "Family support"], "give --authority too"),
    ],
)
def test_create_user_with_an_unknown_team_creates_no_one(runner, authorities, args, message):
    result = runner.invoke(
        args=["create-user", "w@north.example", "--role", "practitioner", *args],
        input=f"{PASSWORD}\n{PASSWORD}\n",
    )
    assert result.exit_code == 1
    assert message in result.output and "Traceback" not in result.output
    assert db.session.scalar(db.select(User)) is None


def test_create_team_refusals_are_one_line(runner, authorities):
    runner.invoke(args=["create-team", "north", "One"])
    for args, message in (
        (["create-team", "north", "one"], "already has a team"),
        (["create-team", "nowhere", "One"], "no authority called nowhere"),
    ):
        result = runner.invoke(args=args)
        assert result.exit_code == 1 and message in result.output
        assert "Traceback" not in result.output


def test_seed_demo_puts_the_demo_people_in_teams(runner):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    people = db.session.scalars(db.select(User).where(User.authority_id.is_not(None))).all()
    assert people and all(person.team_id is not None for person in people)
    assert runner.invoke(args=["seed-demo"]).exit_code == 0  # twice is safe
    assert db.session.scalar(db.select(db.func.count()).select_from(Team)) == 2 * len(
        {p.authority_id for p in people}
    )
