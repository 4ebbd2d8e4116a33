"""Sections pair up by heading and by content: moved, renamed, and one-sided ones."""

from clearinghouse.compare.align import align_sections, heading_key


def _s(heading, text, level=1):
    return {"heading": heading, "level": level, "text": text}


PURPOSE = (
    "This guidance explains how we use the public law outline with families and their network."
)
WORRIES = (
    "Danger statements say who is worried, what about, and what may happen if nothing changes."
)
LETTER = "The letter before proceedings tells parents to take it to a solicitor straight away."
MEETING = "The pre-proceedings meeting reviews progress against the written agreement each month."


def _pairs(rows):
    return [(p.left, p.right) for p in rows]


def test_heading_key_ignores_numbering_case_and_punctuation():
    assert heading_key("2.1 Danger statements:") == "danger statements"
    assert heading_key("Section 4: The Letter") == "the letter"
    assert heading_key("a) Purpose") == "purpose"
    assert heading_key(None) == ""


def test_reordered_sections_pair_and_are_marked_moved():
    left = [_s("Purpose", PURPOSE), _s("Worries", WORRIES), _s("Letter", LETTER)]
    right = [_s("Letter", LETTER), _s("Purpose", PURPOSE), _s("Worries", WORRIES)]
    rows = align_sections(left, right)
    assert _pairs(rows) == [(0, 1), (1, 2), (2, 0)]
    assert [p.moved for p in rows] == [False, False, True]


def test_renamed_section_with_matching_content_pairs():
    left = [_s("Purpose", PURPOSE), _s("Danger statements", WORRIES)]
    right = [_s("Purpose", PURPOSE), _s("What we are worried about", WORRIES + " Usually three.")]
    assert _pairs(align_sections(left, right)) == [(0, 0), (1, 1)]


def test_unmatched_sections_are_one_sided_and_in_reading_order():
    left = [_s("Purpose", PURPOSE), _s("Meetings", MEETING), _s("Worries", WORRIES)]
    right = [_s("Purpose", PURPOSE), _s("Letter", LETTER), _s("Worries", WORRIES)]
    assert _pairs(align_sections(left, right)) == [(0, 0), (1, None), (None, 1), (2, 2)]


def test_unrelated_sections_with_different_headings_do_not_pair():
    assert _pairs(align_sections([_s("Letter", LETTER)], [_s("Meetings", MEETING)])) == [
        (0, None),
        (None, 0),
    ]


def test_untitled_opening_and_duplicate_headings_pair_in_order():
    left = [_s(None, "Intro"), _s("Notes", "first notes"), _s("Notes", "second notes")]
    right = [_s(None, "Intro changed"), _s("Notes", "first notes"), _s("Notes", "second")]
    assert _pairs(align_sections(left, right)) == [(0, 0), (1, 1), (2, 2)]


def test_empty_documents():
    assert align_sections([], []) == []
    assert _pairs(align_sections([], [_s("A", "x")])) == [(None, 0)]
