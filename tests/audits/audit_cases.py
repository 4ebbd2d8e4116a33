"""Case files for the mapping audit tests: the sample case with a sentinel in its words."""

import copy
import io
import json

from clearinghouse.paths import PROJECT_ROOT

SENTINEL = "Zqxj-sentinel-7731"  # in the case's words: must never reach the database or disk
REFERENCE = "NCC/CS/48213"  # the sample case's own document.reference
SAMPLE = PROJECT_ROOT / "templates_library/schemas/sample_case.json"


def sample_case() -> dict:
    """Return the sample case with the sentinel in the family's and the worker's words."""
    case = json.loads(SAMPLE.read_text("utf-8"))
    case["danger_statements"][0]["worried_about"] += f" {SENTINEL}"
    case["family_members"][0]["name"] = f"Danielle {SENTINEL}"
    case["harm"][0]["statement"] += f" {SENTINEL}"
    return case


def thin_case() -> dict:
    """Return a case with one danger statement and nothing else of the mapping."""
    case = copy.deepcopy(sample_case())
    case["danger_statements"] = case["danger_statements"][:1]
    danger = case["danger_statements"][0]
    danger["examples"] = []
    danger.pop("impact_on_child", None)
    keep = {"case_version", "document", "children", "family_members", "danger_statements"}
    return {k: v for k, v in case.items() if k in keep}


def case_bytes(case: dict | None = None) -> bytes:
    """Return a case as the .json file a practitioner uploads."""
    return json.dumps(case or sample_case()).encode("utf-8")


def every_rating(rating: str = "met") -> dict:
    """Return a rating with a fitting reason for every element, as the API takes them."""
    from clearinghouse.audits.elements import elements

    return {
        e.code: {"rating": rating, "reason": next(r.code for r in e.reasons if rating in r.fits)}
        for e in elements()
    }


def form_ratings(rating: str = "met") -> dict:
    """Return the same ratings as the page's form fields."""
    data = {}
    for code, given in every_rating(rating).items():
        data[f"rating-{code}"] = given["rating"]
        data[f"reason-{code}"] = given["reason"]
    return data


def start_audit(client, people, case: dict | None = None, **fields):
    """Post the start page as the signed-in client: the case file, reference, lead and worker.

    A field given as None is left out of the form.
    """
    data = {
        "case_file": (io.BytesIO(case_bytes(case)), "case.json"),
        "reference": REFERENCE,
        "lead": str(people["lead"].id),
        "worker": str(people["worker"].id),
        **fields,
    }
    data = {k: v for k, v in data.items() if v is not None}
    return client.post("/audits/new", data=data, content_type="multipart/form-data")
