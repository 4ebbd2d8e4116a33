"""A small hand-built version 2 case: two separated parents with different parental
responsibility, a withheld address, a child who shared her words with the conference only."""

import copy

CASE = {
    "case_version": 2,
    "document": {"date": "2026-10-21"},
    "authority": {"name": "Testshire Council"},
    "worker": {"name": "Sam Worker", "phone": "0100 000 0000"},
    "children": [
        {"id": "C1", "name": "Amy Stone", "date_of_birth": "2017-06-14"},
        {"id": "C2", "name": "Ben Stone", "date_of_birth": "2021-02-03"},
    ],
    "family_members": [
        {
            "id": "P1",
            "name": "Dana Stone",
            "relationship": "Mother of Amy and Ben",
            "parental_responsibility_for": ["C1", "C2"],
            "address": "1 Mother Street, Town, AB1 1AA",
            "address_withheld": True,
            "phone": "07700 900001",
        },
        {
            "id": "P2",
            "name": "Rob Hill",
            "relationship": "Father of Ben",
            "parental_responsibility_for": ["C2"],
            "address": "2 Father Road, Town, AB2 2BB",
            "phone": "07700 900002",
        },
        {
            "id": "P3",
            "name": "Jay Price",
            "relationship": "Father of Amy",
            "parental_responsibility_for": ["C1"],
            "address": "3 Other Lane, City, CD3 3CC",
            "needs_interpreter": True,
            "language": "Polish",
        },
    ],
    "harm": [
        {"date": "2026-05-30", "statement": "Police were called to a fight at home."},
        {"date": "2026-11-02", "statement": "A later incident happened after the letter."},
    ],
    "danger_statements": [
        {
            "id": "D1",
            "who_is_worried": "Sam and the school",
            "worried_about": "Dana and Rob push and hit each other when they argue.",
            "what_may_happen": "Amy and Ben could be hurt.",
            "examples": [
                {"date": "2026-05-30", "description": "Fight on 30 May."},
                {"date": "2026-11-03", "description": "Later example."},
            ],
        },
        {
            "id": "D2",
            "who_is_worried": "Sam",
            "worried_about": "Ben is left without an awake adult.",
            "what_may_happen": "Ben could be hurt outside.",
            "child_ids": ["C2"],
        },
    ],
    "safety_goals": [
        {"id": "G1", "danger_statement_id": "D1", "parents_will": "Stay calm."},
        {"id": "G2", "danger_statement_id": "D2", "parents_will": "Stay awake."},
    ],
    "scales": [
        {"about": "danger_statement", "danger_statement_id": "D1", "rater": "Sam", "score": 3,
         "date": "2026-10-14"},
        {"about": "case_closure", "rater": "Sam", "score": 4, "date": "2026-12-01"},
        {"about": "child", "child_id": "C1", "rater": "Amy Stone", "score": 6,
         "date": "2026-09-15"},
    ],
    "child_voice": [
        {
            "child_id": "C1",
            "date": "2026-09-15",
            "own_words": "AMY-SECRET-WORDS",
            "share_with": ["conference", "P1"],
        },
        {"child_id": "C2", "date": "2026-09-15", "own_words": "BEN-WORDS"},
    ],
    "meetings": [
        {"id": "M-ICPC", "type": "initial_conference", "date": "2026-06-24"},
        {"id": "M-RCPC", "type": "review_conference", "date": "2026-09-24"},
        {"id": "M-PPM", "type": "pre_proceedings", "date": "2026-11-04"},
    ],
}  # fmt: skip


def small_case(**document) -> dict:
    """Return a fresh copy of the case, with document fields set."""
    case = copy.deepcopy(CASE)
    case["document"].update(document)
    return case
