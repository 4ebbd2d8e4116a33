"""Which template a practitioner generates from: the library's, their authority's, or a shared one.

The choice is remembered per user and document type; a remembered template that is no
longer offered (withdrawn, unshared) falls back to the library's.
"""

from ..errors import InvalidInput
from ..extensions import db
from ..models import TemplateChoice
from .records import check_doc_type, library_title, template_list

LIBRARY_CHOICE = "library"


def template_options(user, doc_type: str) -> list[dict]:
    """Return what a practitioner may choose for a document type: library, own, shared."""
    check_doc_type(doc_type)
    options = [
        {
            "choice": LIBRARY_CHOICE,
            "title": library_title(doc_type),
            "source": "library",
            "authority": None,
            "version": None,
        }
    ]
    for info in template_list(user, doc_type):
        published = info.published
        if published is None:
            continue
        own = info.authority == getattr(getattr(user, "authority", None), "slug", None)
        options.append(
            {
                "choice": info.slug,
                "title": info.title,
                "source": "own" if own else "shared",
                "authority": info.authority_name,
                "version": published.number,
            }
        )
    return options


def template_choice_get(user, doc_type: str) -> str:
    """Return the user's remembered choice for a document type ("library" if none or gone)."""
    row = db.session.get(TemplateChoice, (user.id, doc_type))
    if row is None:
        return LIBRARY_CHOICE
    allowed = {o["choice"] for o in template_options(user, doc_type)}
    return row.choice if row.choice in allowed else LIBRARY_CHOICE


def template_choice_set(user, doc_type: str, choice: str) -> str:
    """Remember which template the user chose for a document type."""
    allowed = {o["choice"] for o in template_options(user, doc_type)}
    if choice not in allowed:
        message = "Choose one of the templates listed for this document type."
        raise InvalidInput("invalid_choice", message, [{"path": "choice", "message": message}])
    row = db.session.get(TemplateChoice, (user.id, doc_type))
    if row is None:
        db.session.add(TemplateChoice(user_id=user.id, library_slug=doc_type, choice=choice))
    else:
        row.choice = choice
    db.session.commit()
    return choice


def template_chosen_slug(user, doc_type: str) -> str:
    """Return the template slug to generate from for a document type (library or authority)."""
    choice = template_choice_get(user, doc_type)
    return doc_type if choice == LIBRARY_CHOICE else choice
