"""The service's checks on a case file, element by element, with evidence by item number."""

from datetime import date

from audit_cases import SENTINEL, sample_case, thin_case

from clearinghouse.audits.elements import elements
from clearinghouse.audits.pre_assess import pre_assess


def _by_element(case, today=date(2026, 11, 20)):
    return {f.element: f for f in pre_assess(case, today)}


def test_every_element_is_pre_assessed_in_order():
    found = pre_assess(sample_case(), date(2026, 11, 20))
    assert [f.element for f in found] == [e.code for e in elements()]
    assert all(f.suggested in ("met", "partly", "not_met") for f in found)


def test_the_evidence_names_the_item_by_number_never_its_words():
    found = _by_element(thin_case())
    examples = found["examples"]
    assert examples.suggested == "not_met"
    assert any("Danger statement 1 has no examples" in line for line in examples.evidence)
    assert found["impact_on_children"].suggested == "not_met"
    assert found["danger_goal_pairs"].evidence == [
        "Danger statement 1 has no safety goal. Pair each danger statement with a safety goal "
        "that says what must change."
    ]
    assert found["clear_goals"].suggested == "not_met"
    assert found["outside_opinion"].suggested == "not_met"
    everything = repr(pre_assess(thin_case()))
    assert SENTINEL not in everything


def test_a_goal_without_a_deadline_is_named():
    case = sample_case()
    case["safety_goals"][0].pop("by_when", None)
    found = _by_element(case)["clear_goals"]
    assert found.suggested == "partly"
    assert any(
        line.startswith("Safety goal 1 does not say") and "by when" in line
        for line in found.evidence
    )


def test_an_old_mapping_is_out_of_date():
    assert _by_element(sample_case(), date(2030, 1, 1))["up_to_date"].suggested == "not_met"


def test_odd_shapes_give_findings_not_errors():
    odd = {"danger_statements": "x", "children": [1, None], "scales": {"a": 1}, "views": []}
    found = pre_assess(odd)
    assert len(found) == len(elements())
