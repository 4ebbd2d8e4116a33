"""Factories for tests: authorities, users, documents, versions and authority templates, each
made through the real service so every test starts from states the service can produce.

Import as ``from factories import make_user`` (tests/ is on sys.path, as for conftest.py). They
need an app context; conftest.py's ``app`` fixture gives one. conftest.py's fixtures (``users``,
``authorities``, ``make_document``) are built from these.
"""

from clearinghouse.accounts import authority_create, user_create
from clearinghouse.permissions import SYSTEM

PASSWORD = "correct horse battery"

AUTHORITY_NAMES = {"north": "Northshire County Council", "south": "Southborough Council"}


def make_authority(slug: str = "north", name: str | None = None):
    """Create an authority (as the system) and return it."""
    return authority_create(SYSTEM, slug, name or AUTHORITY_NAMES.get(slug, slug.title()))


def make_user(
    role: str = "editor",
    authority: str | None = "north",
    *,
    email: str | None = None,
    name: str | None = None,
    password: str = PASSWORD,
):
    """Create a user of the role in the authority (slug; None for an admin) and return it.

    By default a north editor is editor@north.example, "North editor"; an admin is
    admin@example.org, "Site admin".
    """
    return user_create(
        SYSTEM,
        email=email or (f"{role}@{authority}.example" if authority else f"{role}@example.org"),
        name=name or (f"{authority.title()} {role}" if authority else f"Site {role}"),
        role=role,
        authority_slug=authority,
        password=password,
    )


def make_document(
    user,
    title: str = "Test policy",
    doc_type: str = "policy",
    visibility: str = "shared",
    data: bytes | None = None,
    filename: str | None = None,
    **kwargs,
):
    """Upload a document through the service as the user; return its first version.

    Without data it is a short Markdown file about the title.
    """
    from clearinghouse.documents.service import document_create

    if data is None:
        data = f"# {title}\n\nSome text about {title}.\n".encode()
        filename = filename or "policy.md"
    return document_create(
        user,
        title=title,
        doc_type=doc_type,
        visibility=visibility,
        data=data,
        filename=filename or "document.docx",
        **kwargs,
    )


def make_version(user, document_id: int, data: bytes, filename: str, change_note="New version"):
    """Add a version to a document through the service as the user; return it."""
    from clearinghouse.documents.service import version_add

    return version_add(user, document_id, data, filename, change_note)


def make_template(
    user,
    data: bytes,
    *,
    filename: str = "letter.docx",
    doc_type: str | None = "test-letter",
    title: str | None = "North letter",
    visibility: str = "shared",
    slug: str | None = None,
    change_note: str | None = None,
):
    """Upload an authority template (or, with slug, its next version) as the user.

    Return (template, version) as the service does.
    """
    from clearinghouse.authority_templates import service

    return service.template_upload(
        user,
        data=data,
        filename=filename,
        doc_type=doc_type,
        title=title,
        visibility=visibility,
        slug=slug,
        change_note=change_note,
    )
