"""A generated corpus of children's social care documents with a realistic vocabulary.

Words follow a Zipf distribution over function words, general English, Signs of Safety and
children's social care terms and a long tail of rare words (names, places); documents have
headed sections and fixed domain phrases, so phrase and facet queries behave as on real text.
"""

import random

FUNCTION = (
    "the of and to a in that is for it as with was on be by this are or at from have an not "
    "they which we but their has will been were there can if all would who more when what so "
    "about other into these may them than its only should must also any how each where after"
).split()

GENERAL = (
    "people time work year day information need help support service services plan meeting "
    "report record review decision change home school health worker family parents parent "
    "mother father carer carers child children young person practice team manager local area "
    "agency agencies professional professionals weeks months days date dates name address "
    "phone contact letter form section details include including provide provided ensure "
    "agreed agree discuss discussed share shared consent views voice wishes feelings "
    "evidence example examples concern concerns worry worried worries risk risks harm "
    "danger safety safe safely goal goals network networks scale scaling question questions "
    "understand understanding language plain clear clearly written writing next steps step "
    "strengths strength existing working well happen happened happening judgement analysis "
    "assessment assessments referral referrals screening threshold outcome outcomes quality "
    "supervision supervisor oversight timescale timescales statutory guidance policy procedure "
    "court proceedings solicitor solicitors legal advice letter public law outline conference "
    "chair core group review initial strategy discussion section forty seven seventeen "
    "plan plans planning care placement foster fostering adoption looked after panel "
    "independent reviewing officer education health visitor police midwife nurse doctor "
    "domestic abuse neglect physical emotional sexual exploitation substance alcohol drug "
    "mental wellbeing housing income poverty behaviour behaviours routine routines bedtime "
    "attendance appointments visits visit seen alone observed observation direct work "
    "drawing drawings house houses dreams good things words pictures explanation story "
    "grandmother grandfather aunt uncle friend friends neighbour community member members "
    "rules warning signs phone numbers monitor monitoring check checks progress sustained "
    "period months demonstrated protection protective behaviours capacity parenting "
    "developmental needs environmental factors history timeline chronology genogram "
    "recommendation recommendations category categories threshold escalation step down "
    "early help child in need family group conference decision making offered held "
    "interpreter translation accessible advocate advocacy complaint complaints feedback "
    "reading age jargon respectful curious inquiry appreciative humble rigorous"
).split()

DOMAIN = (
    "signs safety mapping danger statement statements safety goals scaling question "
    "existing safety complicating factors grey areas harm statement three houses worries "
    "dreams words pictures safety plan safety network family network meeting pre-proceedings "
    "plo letter before proceedings legal help parental responsibility conference summary "
    "danger harm trajectory bottom lines non-negotiables safety object safety circles "
    "appreciative inquiry solution focused questioning relational practice practice "
    "framework trauma informed restorative"
).split()

PHRASES = [
    "danger statement",
    "safety goal",
    "safety plan",
    "safety network",
    "family network meeting",
    "child protection conference",
    "letter before proceedings",
    "public law outline",
    "parental responsibility",
    "what are we worried about",
    "what is working well",
    "what needs to happen",
    "on a scale of 0 to 10",
    "three houses",
    "words and pictures",
    "existing safety",
    "complicating factors",
    "social worker",
    "core group meeting",
    "legal help",
    "pre-proceedings meeting",
    "family group conference",
    "house of worries",
    "independent reviewing officer",
]

HEADINGS = [
    "Purpose",
    "What are we worried about?",
    "What's working well?",
    "What needs to happen?",
    "Danger statements",
    "Safety goals",
    "Scaling",
    "The child's voice",
    "Safety plan",
    "Safety network",
    "Next steps",
    "Legal advice",
    "Timescales",
    "Roles and responsibilities",
    "Quality assurance",
    "Supervision",
    "Recording",
    "Consent and information sharing",
]

SYLLABLES = "ka lo mi ne ra sto ve wi ther bel gar dun ash ford ton ley by ham wick mar".split()
AUTHORITY_COUNT = 150


def rare_words(count: int, rng: random.Random) -> list[str]:
    """Return made-up rare words (names, places) for the vocabulary's long tail."""
    words = set()
    while len(words) < count:
        words.add("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))))
    return sorted(words)


class CorpusGenerator:
    """Make documents of headed sections from a Zipf-weighted vocabulary."""

    def __init__(self, seed: int = 7, rare: int = 20000):
        self.rng = random.Random(seed)
        vocab = FUNCTION + list(dict.fromkeys(DOMAIN + GENERAL)) + rare_words(rare, self.rng)
        self.vocab = vocab
        weights, total = [], 0.0
        for rank in range(1, len(vocab) + 1):
            total += 1.0 / rank**1.2
            weights.append(total)
        self.cum = weights

    def sentence(self) -> str:
        """Return one sentence, sometimes holding a domain phrase."""
        rng = self.rng
        words = rng.choices(self.vocab, cum_weights=self.cum, k=rng.randint(8, 24))
        if rng.random() < 0.35:
            words.insert(rng.randrange(len(words)), rng.choice(PHRASES))
        return " ".join(words).capitalize() + "."

    def sections(self, words: int = 1500) -> list[dict]:
        """Return sections of about ``words`` words in all."""
        rng = self.rng
        out, count = [], 0
        headings = rng.sample(HEADINGS, k=min(len(HEADINGS), max(3, words // 150)))
        per = max(1, words // len(headings))
        for heading in headings:
            lines, n = [], 0
            while n < per:
                sentence = self.sentence()
                lines.append(sentence)
                n += sentence.count(" ") + 1
            count += n
            out.append({"heading": heading, "level": 1, "text": " ".join(lines)})
        return out

    def revise(self, sections: list[dict]) -> list[dict]:
        """Return a new version: most sections kept, some rewritten."""
        out = []
        for section in sections:
            if self.rng.random() < 0.3:
                words = section["text"].count(" ") + 1
                fresh = self.sections(words)[0]["text"]
                out.append({**section, "text": fresh})
            else:
                out.append(section)
        return out


def sections_text(sections: list[dict]) -> str:
    """Return the whole text of sections, headings included."""
    return "\n".join(f"{s['heading']}\n{s['text']}" for s in sections)
