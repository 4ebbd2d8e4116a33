"""Where templates come from: the built-in library and authorities' own uploads.

Each provider lists the template sources a user may generate from and finds one by slug;
generation, the API and the pages ask this module and never a provider directly. The app
factory registers the providers (library.library_provider, then authority_templates'), so
generation needs to know nothing of the features that add templates.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from ..errors import NotFound


@dataclass
class TemplateSource:
    """A template a user can generate from."""

    slug: str
    title: str
    doc_type: str  # a slug of the document-type vocabulary
    audience: str  # professional | family
    source: str  # library | authority
    library_slug: str  # the library template whose schema and sample data apply
    version: str  # library: its meta version; authority: the version number
    sha256: str  # of the template .docx: the compile-cache key
    load: Callable[[], bytes] = field(repr=False)  # returns the template .docx bytes
    authority: str | None = None  # the owning authority's slug, for authority templates
    purpose: str = ""

    def as_dict(self) -> dict:
        """Return the source as the API lists it."""
        return {
            "slug": self.slug,
            "title": self.title,
            "doc_type": self.doc_type,
            "audience": self.audience,
            "source": self.source,
            "library_slug": self.library_slug,
            "version": self.version,
            "authority": self.authority,
        }


@dataclass
class Provider:
    """Functions a template provider gives: list for a user, and get one by slug.

    ``chosen_for`` (optional) gives the slug of the provider's template a user chose for a
    library document type, or None where they chose none of its templates.
    """

    name: str
    list_for: Callable[[object], list[TemplateSource]]
    get_for: Callable[[object, str], TemplateSource | None]
    chosen_for: Callable[[object, str], str | None] | None = None


_PROVIDERS: dict[str, Provider] = {}


def register_provider(provider: Provider) -> None:
    """Add (or replace) a template provider."""
    _PROVIDERS[provider.name] = provider


def sources_list(user) -> list[TemplateSource]:
    """Return every template source the user may generate from."""
    found: list[TemplateSource] = []
    for provider in _PROVIDERS.values():
        found.extend(provider.list_for(user))
    return found


def source_get(user, slug: str) -> TemplateSource:
    """Return the template source with this slug, or NotFound."""
    for provider in _PROVIDERS.values():
        source = provider.get_for(user, slug)
        if source is not None:
            return source
    raise NotFound("That template does not exist, or you do not have access to it.")


def chosen_slug(user, library_slug: str) -> str:
    """Return the slug the user generates from for a library document type (its own if none)."""
    for provider in _PROVIDERS.values():
        chosen = provider.chosen_for(user, library_slug) if provider.chosen_for else None
        if chosen:
            return chosen
    return library_slug


@dataclass
class AuthorityDetails:
    """Where documents take an authority's own details from (its profile), given by the app.

    ``details_for(user)`` is the case model's ``authority`` object for the user's authority
    ({} when none); ``logo_for(user)`` its letterhead image (PNG or JPEG bytes) or None.
    """

    details_for: Callable[[object], dict]
    logo_for: Callable[[object], bytes | None]


_AUTHORITY_DETAILS: list[AuthorityDetails] = []


def register_authority_details(source: AuthorityDetails) -> None:
    """Set where documents take an authority's own details from (replacing any before)."""
    _AUTHORITY_DETAILS[:] = [source]


def authority_details(user) -> dict:
    """Return the user's authority's details for documents ({} when none are kept)."""
    return dict(_AUTHORITY_DETAILS[0].details_for(user)) if _AUTHORITY_DETAILS else {}


def authority_logo(user) -> bytes | None:
    """Return the user's authority's letterhead logo, or None."""
    return _AUTHORITY_DETAILS[0].logo_for(user) if _AUTHORITY_DETAILS else None
