"""Feedback codes: their shape, single use, expiry, the per-address limit, and what is kept."""

from datetime import timedelta

import pytest
from feedback_helpers import answers, in_team

from clearinghouse.errors import InvalidInput, NotAuthorized
from clearinghouse.extensions import db
from clearinghouse.feedback import codes, service
from clearinghouse.feedback.models import FeedbackCode, FeedbackResponse
from clearinghouse.models import AuditEvent, utcnow


def test_a_code_is_eight_unambiguous_characters_in_two_groups(users):
    seen = set()
    for _ in range(20):
        code = codes.code_issue(users["practitioner"]).code
        first, second = code.split("-")
        assert len(first) == len(second) == 4
        assert set(first + second) <= set(codes.ALPHABET)
        seen.add(code)
    assert len(seen) == 20
    assert not set("01OIL2Z5S8BUV") & set(codes.ALPHABET)


def test_only_its_keyed_hash_authority_and_team_are_kept(users):
    worker = users["practitioner"]
    team = in_team(users["manager"], worker)
    issued = codes.code_issue(worker)
    row = db.session.scalar(db.select(FeedbackCode))
    assert row.code_hash == codes.code_hash(issued.code) != issued.code
    assert issued.code not in row.code_hash and issued.code.replace("-", "") not in row.code_hash
    assert (row.authority_id, row.team_id) == (worker.authority_id, team.id)
    assert not hasattr(row, "user_id") and not hasattr(row, "created_by_id")
    assert row.expires_at - row.created_at == timedelta(days=29)  # 28 days and the first
    midnight = (row.created_at.hour, row.created_at.minute, row.created_at.second)
    assert midnight == (0, 0, 0) and row.created_at.microsecond == 0  # the day, not the moment
    event = db.session.scalar(
        db.select(AuditEvent).where(AuditEvent.action == "feedback_code_issued")
    )
    assert event.user_id == worker.id and event.object_id == "-"  # which code is not recorded


def test_a_code_works_once(users):
    code = codes.code_issue(users["practitioner"]).code
    service.feedback_submit(code.lower().replace("-", " "), answers(), "10.0.0.1")
    with pytest.raises(InvalidInput) as used:
        service.feedback_submit(code, answers(), "10.0.0.1")
    assert used.value.code == "code_used"
    assert db.session.scalar(db.select(db.func.count()).select_from(FeedbackResponse)) == 1


def test_bad_answers_do_not_use_the_code_up(users):
    code = codes.code_issue(users["practitioner"]).code
    for bad in (answers(explained="11"), answers(explained=""), answers(listened="maybe"),
                answers(helped="x" * 1001), answers(better="a\x00b")):  # fmt: skip
        with pytest.raises(InvalidInput) as refused:
            service.feedback_submit(code, bad, "10.0.0.1")
        assert refused.value.code == "invalid_answers"
    service.feedback_submit(code, answers(), "10.0.0.1")


def test_an_expired_code_is_refused(app, users):
    now = utcnow()
    code = codes.code_issue(users["practitioner"], now=now - timedelta(days=29, seconds=1)).code
    with pytest.raises(InvalidInput) as expired:
        service.code_check(code, "10.0.0.1", now)
    assert expired.value.code == "code_expired"
    fresh = codes.code_issue(users["practitioner"], now=now - timedelta(days=27)).code
    assert service.code_check(fresh, "10.0.0.1", now) == "Northshire County Council"


def test_a_code_for_the_right_answer_is_not_another_sites(app, users):
    code = codes.code_issue(users["practitioner"]).code
    app.config["SECRET_KEY"] = "another-site"  # the hash is keyed: a copied table is no use
    with pytest.raises(InvalidInput):
        service.code_check(code, "10.0.0.1")


def test_wrong_codes_from_one_address_are_limited(app, users):
    now = utcnow()
    good = codes.code_issue(users["practitioner"]).code
    for _ in range(10):
        with pytest.raises(InvalidInput) as wrong:
            service.code_check("AAAA-AAAA", "192.0.2.7", now)
        assert wrong.value.code == "code_not_valid"
    with pytest.raises(InvalidInput) as limited:
        service.code_check(good, "192.0.2.7", now)  # even a good code waits
    assert limited.value.status == 429 and "60 minutes" in limited.value.message
    # Another address is not held up, and the first may try again after the window.
    assert service.code_check(good, "192.0.2.8", now)
    assert service.code_check(good, "192.0.2.7", now + timedelta(minutes=61))


def test_used_and_expired_codes_count_as_failures_too(app, users):
    app.config["CLEARINGHOUSE"]["FEEDBACK_MAX_FAILURES_PER_ADDRESS"] = 2
    code = codes.code_issue(users["practitioner"]).code
    service.feedback_submit(code, answers(), "192.0.2.9")
    for _ in range(2):
        with pytest.raises(InvalidInput):
            service.code_check(code, "192.0.2.9")
    with pytest.raises(InvalidInput) as limited:
        service.code_check(code, "192.0.2.9")
    assert limited.value.status == 429


@pytest.mark.parametrize("person", ["admin"])
def test_only_people_of_an_authority_issue_codes(users, person):
    with pytest.raises(NotAuthorized):
        codes.code_issue(users[person])
