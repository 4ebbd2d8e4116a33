"""The search page and the API read a query string into the same service call."""

from werkzeug.datastructures import MultiDict

from clearinghouse.search.query import search_args


def test_search_args_reads_every_option_and_repeated_filters():
    args = MultiDict(
        [("q", "plo"), ("authority", "north"), ("authority", "south"), ("stage", "pre")]
        + [("doc_type", "letter"), ("sort", "newest"), ("page", "2"), ("per_page", "5")]
    )
    assert search_args(args) == {
        "q": "plo",
        "authority": ["north", "south"],
        "doc_type": ["letter"],
        "stage": ["pre"],
        "versions": None,
        "sort": "newest",
        "page": "2",
        "per_page": "5",
    }
    assert search_args(MultiDict())["q"] == ""


def test_the_page_searches_once_even_with_a_bad_page_number(users, login, monkeypatch):
    from clearinghouse.search import views

    calls = []
    real = views.search_documents

    def counted(*args, **kwargs):
        calls.append(kwargs)
        return real(*args, **kwargs)

    monkeypatch.setattr(views, "search_documents", counted)
    response = login(users["practitioner"]).get("/search?q=rota&page=zero&sort=sideways")
    assert response.status_code == 200
    assert "must be" in response.get_data(as_text=True)
    assert len(calls) == 1
