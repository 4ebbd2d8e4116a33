"""Policies for the compare benchmark: generated text, an edited copy, reworded headings.

make_policy writes about N words of policy-like sentences in 40-odd headed sections;
edit_policy edits a share of its paragraphs and moves sections, as a new version would;
reworded gives the same sections headings that name their purposes the way another authority
would (issue 15).
"""

import random

VOCABULARY = (
    "the child family parents worker social safety plan network danger statement goal "
    "worried harm meeting letter solicitor legal advice court proceedings public law outline "
    "assessment review conference manager practitioner agency school health police visit "
    "home support help agreement written progress weeks months date name contact network "
    "grandmother uncle father mother carer contact scaling question scale ten zero rated "
    "reason views wishes feelings voice seen alone record decision threshold escalation "
    "supervision quality audit timescale working days within before after during each every "
    "must should will may can not never always where when who what how why because unless"
).split()


def _sentence(rng: random.Random) -> str:
    words = [rng.choice(VOCABULARY) for _ in range(rng.randint(8, 16))]
    return " ".join(words).capitalize() + "."


def make_policy(words: int, seed: int = 7) -> list[tuple[str, list[str]]]:
    """Return (heading, paragraphs) sections totalling about the given number of words."""
    rng = random.Random(seed)
    sections, total, n = [], 0, 0
    while total < words:
        n += 1
        paragraphs = []
        for _ in range(10):
            paragraph = " ".join(_sentence(rng) for _ in range(rng.randint(3, 5)))
            paragraphs.append(paragraph)
            total += len(paragraph.split())
        sections.append((f"Section {n}: {' '.join(rng.sample(VOCABULARY, 3))}", paragraphs))
    return sections


def edit_policy(sections, share: float = 0.10, moves: int = 3, seed: int = 11):
    """Return a copy with a share of paragraphs edited and some sections moved."""
    rng = random.Random(seed)
    edited = [(h, list(ps)) for h, ps in sections]
    places = [(s, p) for s, (_h, ps) in enumerate(edited) for p in range(len(ps))]
    for s, p in rng.sample(places, int(len(places) * share)):
        words = edited[s][1][p].split()
        kind = rng.choice(("replace", "insert", "delete"))
        at = rng.randrange(len(words) - 3)
        if kind == "replace":
            words[at : at + 2] = [rng.choice(VOCABULARY) for _ in range(2)]
        elif kind == "insert":
            words[at:at] = _sentence(rng).split()
        else:
            del words[at : at + 3]
        edited[s][1][p] = " ".join(words)
    for _ in range(moves):
        section = edited.pop(rng.randrange(len(edited)))
        edited.insert(rng.randrange(len(edited) + 1), section)
    return edited


def reworded(sections, seed: int = 13):
    """Return left and right policies whose headings name the same purposes in other words.

    The right one is the left edited (10% of paragraphs, 3 sections moved), less two sections
    and with two of its own; each heading keeps its purpose: "What we are worried about" on
    the left is "Why people are worried" on the right. Also returns the (left heading, right
    heading) pairs an alignment should make.
    """
    from clearinghouse.thesaurus import purposes

    named = [p for p in purposes() if len(p.terms) >= 2][: len(sections)]
    if len(named) < len(sections):
        raise SystemExit("the thesaurus names fewer purposes than the policy has sections")
    other = {
        p.label: (p.terms[-1] if p.terms[-1] != p.label.lower() else p.terms[0]) for p in named
    }
    left = [(p.label, paragraphs) for p, (_h, paragraphs) in zip(named, sections, strict=False)]
    right_of = {h: other[h][0].upper() + other[h][1:] for h in other}
    right = [(right_of[h], ps) for h, ps in edit_policy(left, seed=seed)]
    rng = random.Random(seed)
    for _ in range(2):
        right.pop(rng.randrange(len(right)))
    extra = make_policy(2_000, seed=seed)[:2]
    for heading, paragraphs in (("Training for staff", extra[0][1]), ("Advocacy", extra[1][1])):
        right.insert(rng.randrange(len(right) + 1), (heading, paragraphs))
    kept = {h for h, _ps in right}
    return left, right, {(h, right_of[h]) for h in right_of if right_of[h] in kept}


def to_markdown(sections) -> bytes:
    """Return sections as a Markdown file."""
    parts = []
    for heading, paragraphs in sections:
        parts.append(f"## {heading}")
        parts.extend(paragraphs)
    return ("\n\n".join(parts) + "\n").encode()


def plain_words(sections) -> list[str]:
    """Return the whole text's word tokens, headings included."""
    return [w for h, ps in sections for w in (h + " " + " ".join(ps)).split()]
