"""/documents a page at a time, sorted by date or title, filters kept; the API list too."""

import re
from datetime import timedelta

import pytest

from clearinghouse.extensions import db
from clearinghouse.models import Document


@pytest.fixture
def many(users, make_document):
    """Make 30 shared north documents whose update times are 1 to 30 days ago (title order
    runs the other way), plus a south document; return their ids, newest first."""
    made = []
    for n in range(30):
        version = make_document(users["editor"], title=f"Policy {chr(65 + n % 26)}{n:02d}")
        made.append(version.document_id)
    latest = db.session.get(Document, made[-1]).updated_at
    for age, doc_id in enumerate(reversed(made), start=1):
        db.session.get(Document, doc_id).updated_at = latest - timedelta(days=age)
    db.session.commit()
    make_document(users["south_editor"], title="South only", doc_type="supervision")
    return list(reversed(made))


def _titles(page: str) -> list[str]:
    return re.findall(
        r'<td class="govuk-table__cell"><a class="govuk-link" href="/documents/\d+">([^<]+)</a>',
        page,
    )


def test_pages_of_25_newest_first_with_govuk_pagination(users, login, many):
    client = login(users["practitioner"])
    first = client.get("/documents").get_data(as_text=True)
    assert "31 documents" in first and "govuk-pagination" in first
    assert len(_titles(first)) == 25
    second = client.get("/documents?page=2").get_data(as_text=True)
    assert len(_titles(second)) == 6
    assert not set(_titles(first)) & set(_titles(second))
    assert 'href="/documents?page=1"' in second  # previous keeps the (empty) filters out
    past_end = client.get("/documents?page=99").get_data(as_text=True)
    assert _titles(past_end) == _titles(second)
    assert client.get("/documents?page=0").status_code == 400
    assert client.get("/documents?sort=sideways").status_code == 400


def test_sort_orders_are_stable_and_filters_stay(users, login, many):
    client = login(users["practitioner"])
    newest = _titles(client.get("/documents?authority=north").get_data(as_text=True))
    oldest = _titles(
        client.get("/documents?authority=north&sort=updated-oldest&page=2").get_data(as_text=True)
    )
    assert len(newest) == 25 and len(oldest) == 5
    assert oldest == list(reversed(newest))[20:]
    by_title = _titles(client.get("/documents?sort=title").get_data(as_text=True))
    assert by_title == sorted(by_title, key=str.lower)
    page = client.get("/documents?authority=north&sort=title&page=1").get_data(as_text=True)
    assert "South only" not in page
    links = page.split('aria-label="Pages of documents"')[1]
    assert "authority=north" in links and "sort=title" in links  # page links keep filters


def test_api_list_keeps_its_contract_and_pages_when_asked(client, users, api_headers, many):
    headers = api_headers(users["practitioner"])
    everything = client.get("/api/v1/documents", headers=headers).json
    assert set(everything) == {"documents"} and len(everything["documents"]) == 31
    page = client.get("/api/v1/documents?per_page=10&page=2", headers=headers).json
    assert (page["total"], page["page"], page["per_page"], page["pages"]) == (31, 2, 10, 4)
    assert [d["id"] for d in page["documents"]] == [d["id"] for d in everything["documents"]][10:20]
    oldest = client.get("/api/v1/documents?sort=updated-oldest&authority=north", headers=headers)
    assert [d["id"] for d in oldest.json["documents"]][:25] == list(reversed(many))[:25]
    bad = client.get("/api/v1/documents?per_page=500", headers=headers)
    assert bad.status_code == 400 and bad.json["error"]["code"] == "invalid_parameter"
