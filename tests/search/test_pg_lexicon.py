"""PostgreSQL's lexicon finds the near words Whoosh's reader finds, by a cheaper road."""

from hypothesis import given
from hypothesis import strategies as st
from whoosh.support.levenshtein import distance

from clearinghouse.search.pg_lexicon import within

WORDS = st.text(alphabet="abcdeéz1", max_size=9)


@given(WORDS, WORDS, st.integers(min_value=0, max_value=3))
def test_the_letter_count_test_never_drops_a_near_word(term, word, maxdist):
    assert within(term, word, maxdist) == (distance(term, word, limit=maxdist) <= maxdist)


def test_a_swap_is_one_edit_and_a_changed_letter_counts_twice():
    assert within("plna", "plan", 1)  # letters unchanged
    assert within("plen", "plan", 1) and not within("plen", "plan", 0)
    assert not within("pent", "plan", 2)
