"""The self-assessment service: recording and history, validation, who may do what, sharing,
audit events, and what coverage shows beside each authority."""

import pytest
from factories import make_user
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from clearinghouse.errors import InvalidInput, NotAuthorized, NotFound
from clearinghouse.extensions import db
from clearinghouse.models import AuditEvent
from clearinghouse.permissions import SYSTEM
from clearinghouse.self_assessment import service
from clearinghouse.self_assessment.models import SelfAssessment, SelfAssessmentSharing
from clearinghouse.self_assessment.validate import NOTE_MAX


@pytest.fixture
def south_manager(users):
    return make_user("manager", "south", name="South manager")


def _count() -> int:
    return db.session.scalar(select(func.count()).select_from(SelfAssessment))


def test_a_manager_records_and_everyone_in_the_authority_reads_the_history_newest_first(users):
    service.self_assessment_record(users["manager"], 3, "Started training the front door teams.")
    service.self_assessment_record(users["manager"], "5", "  Supervision now uses mapping.  ")
    for person in ("practitioner", "editor", "manager"):
        overview = service.self_assessment_overview(users[person])
        assert [r.scale for r in overview.history] == [5, 3]
        assert overview.history[0].note == "Supervision now uses mapping."  # trimmed
        assert overview.history[0].recorded_by == "North manager"
        assert overview.history[0].authority == "north"
        assert overview.can_record is (person == "manager")
    assert service.self_assessment_overview(users["south_editor"]).history == []


def test_a_correction_is_a_new_record_and_the_old_one_is_kept(users):
    first = service.self_assessment_record(users["manager"], 8, "Typed 8, meant 6.")
    second = service.self_assessment_record(users["manager"], 6, "Correction of the last record.")
    rows = service.self_assessment_overview(users["manager"]).history
    assert [(r.id, r.scale) for r in rows] == [(second.id, 6), (first.id, 8)]
    assert not hasattr(service, "self_assessment_update")  # no service changes a record


def test_the_database_itself_refuses_a_scale_off_the_scale(users):
    authority_id = users["manager"].authority_id
    db.session.add(SelfAssessment(authority_id=authority_id, scale=11, note="Around the service."))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()
    assert _count() == 0


@pytest.mark.parametrize(
    "scale, code",
    [
        (-1, "scale_out_of_range"),
        (11, "scale_out_of_range"),
        ("11", "scale_out_of_range"),
        (None, "invalid_scale"),
        ("six", "invalid_scale"),
        (5.5, "invalid_scale"),
        (True, "invalid_scale"),
        ("", "invalid_scale"),
    ],
)
def test_a_scale_off_the_scale_is_refused_and_nothing_is_saved(users, scale, code):
    with pytest.raises(InvalidInput) as refused:
        service.self_assessment_record(users["manager"], scale, "A note.")
    assert refused.value.code == code
    assert refused.value.status == 422
    assert refused.value.details[0]["path"] == "scale"
    assert "0" in refused.value.message and "10" in refused.value.message
    assert _count() == 0


@pytest.mark.parametrize(
    "note, code, status",
    [
        ("", "note_required", 422),
        ("   ", "note_required", 422),
        (None, "note_required", 422),
        ("x" * (NOTE_MAX + 1), "note_too_long", 422),
        (42, "invalid_note", 422),
        ("bad\x00note", "invalid_text", 400),
    ],
)
def test_a_missing_long_or_unusable_note_is_refused(users, note, code, status):
    with pytest.raises(InvalidInput) as refused:
        service.self_assessment_record(users["manager"], 4, note)
    assert (refused.value.code, refused.value.status) == (code, status)
    assert refused.value.details[0]["path"] == "note"
    assert _count() == 0


def test_every_problem_is_reported_at_once(users):
    with pytest.raises(InvalidInput) as refused:
        service.self_assessment_record(users["manager"], 12, "")
    assert refused.value.code == "scale_out_of_range"
    assert [d["path"] for d in refused.value.details] == ["scale", "note"]


def test_a_note_of_the_longest_length_is_kept_whole(users):
    note = "y" * NOTE_MAX
    assert service.self_assessment_record(users["manager"], 0, note).note == note


@pytest.mark.parametrize("person", ["practitioner", "editor"])
def test_only_managers_record_or_choose_sharing(users, person):
    with pytest.raises(NotAuthorized):
        service.self_assessment_record(users[person], 5, "Not mine to record.")
    with pytest.raises(NotAuthorized):
        service.self_assessment_share(users[person], True)
    with pytest.raises(NotAuthorized):
        service.self_assessment_record_start(users[person])
    assert _count() == 0


def test_another_authority_cannot_read_or_record_for_north(users, south_manager):
    with pytest.raises(NotFound):
        service.self_assessment_overview(south_manager, "north")
    with pytest.raises(NotFound):
        service.self_assessment_record(south_manager, 5, "Not ours.", "north")
    with pytest.raises(NotFound):
        service.self_assessment_share(south_manager, True, "north")


def test_an_admin_names_the_authority_and_may_record_for_it(users):
    admin = users["admin"]
    with pytest.raises(InvalidInput) as refused:
        service.self_assessment_record(admin, 5, "For whom?")
    assert refused.value.code == "authority_required"
    assert refused.value.status == 400
    saved = service.self_assessment_record(admin, 5, "Recorded at the manager's request.", "north")
    assert saved.authority == "north" and saved.recorded_by == "Site admin"
    assert service.self_assessment_overview(admin).authority is None
    assert [r.scale for r in service.self_assessment_overview(admin, "north").history] == [5]


def test_others_see_only_the_latest_and_only_while_it_is_shared(users, south_manager):
    service.self_assessment_record(users["manager"], 2, "North, first.")
    service.self_assessment_record(users["manager"], 4, "North, latest.")
    service.self_assessment_record(south_manager, 7, "South, latest.")
    south_view = service.self_assessment_overview(users["south_practitioner"])
    assert south_view.others == []  # nothing is shared until a manager chooses

    assert service.self_assessment_share(users["manager"], True) is True
    assert service.self_assessment_share(users["manager"], True) is False  # already shared
    south_view = service.self_assessment_overview(users["south_practitioner"])
    assert [(r.authority, r.scale, r.note) for r in south_view.others] == [
        ("north", 4, "North, latest.")
    ]
    assert [r.scale for r in south_view.history] == [7]  # its own history, not north's
    north_view = service.self_assessment_overview(users["practitioner"])
    assert north_view.shared is True and north_view.others == []  # south does not share

    service.self_assessment_share(users["manager"], False)
    assert service.self_assessment_overview(users["south_practitioner"]).others == []


def test_sharing_needs_a_true_or_false_choice(users):
    with pytest.raises(InvalidInput) as refused:
        service.self_assessment_share(users["manager"], "yes")
    assert refused.value.code == "invalid_shared"
    with pytest.raises(InvalidInput):
        service.self_assessment_record(users["manager"], 5, "A note.", shared="yes")
    assert _count() == 0
    assert db.session.scalar(select(func.count()).select_from(SelfAssessmentSharing)) == 0


def test_recording_and_sharing_together_is_one_change(users):
    service.self_assessment_record(users["manager"], 6, "Shared from the start.", shared=True)
    assert service.self_assessment_overview(users["manager"]).shared is True
    assert [r.scale for r in service.self_assessments_shared(users["south_editor"])] == [6]


def test_each_change_is_in_the_audit_log_without_the_note(users):
    saved = service.self_assessment_record(users["manager"], 6, "Private reasoning here.")
    service.self_assessment_share(users["manager"], True)
    service.self_assessment_share(users["manager"], True)  # no change, no event
    events = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()
    recorded = [e for e in events if e.action.startswith("self_assessment")]
    assert [(e.action, e.detail) for e in recorded] == [
        ("self_assessment_recorded", {"scale": 6}),
        ("self_assessment_sharing_changed", {"shared": True}),
    ]
    assert recorded[0].object_id == str(saved.id)
    assert all(e.authority_id == users["manager"].authority_id for e in recorded)
    assert all("Private" not in str(e.detail) for e in events)


def test_beside_coverage_own_always_others_only_shared(users, south_manager):
    north, south = users["manager"].authority_id, south_manager.authority_id
    service.self_assessment_record(users["manager"], 3, "North.")
    service.self_assessment_record(south_manager, 8, "South.")
    both = [north, south]
    assert set(service.self_assessments_beside(users["practitioner"], both)) == {north}
    assert set(service.self_assessments_beside(users["admin"], both)) == set()
    service.self_assessment_share(south_manager, True)
    beside = service.self_assessments_beside(users["practitioner"], both)
    assert beside[south]["scale"] == 8 and len(beside[south]["date"]) == 10
    assert set(service.self_assessments_beside(users["admin"], both)) == {south}


def test_the_command_line_operator_reads_any_authority(users):
    service.self_assessment_record(users["manager"], 1, "Barely begun.")
    assert [r.scale for r in service.self_assessment_overview(SYSTEM, "north").history] == [1]
    with pytest.raises(NotFound):
        service.self_assessment_overview(SYSTEM, "nowhere")
