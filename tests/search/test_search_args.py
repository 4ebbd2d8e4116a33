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
