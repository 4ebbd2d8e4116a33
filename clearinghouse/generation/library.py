"""The built-in template library: templates_library/<slug>/ loaded once and kept while unchanged.

Each folder holds template.docx, schema.json, sample.json and meta.json; schemas refer to the
shared case model ``urn:clearinghouse:case`` (templates_library/schemas/case.schema.json).
Entries are re-read only when a file's modification time or size changes.
"""

import hashlib
import json
import logging
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from flask import current_app
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from ..errors import NotFound
from ..paths import PROJECT_ROOT
from . import sources

log = logging.getLogger(__name__)

CASE_SCHEMA_ID = "urn:clearinghouse:case"
FILES = ("template.docx", "schema.json", "sample.json", "meta.json")
AUDIENCES = ("professional", "family")
SKIP = ("$ref", "$defs", "definitions", "$id", "$schema")


@dataclass
class LibraryEntry:
    """One library template: its metadata, schema, sample data and .docx."""

    slug: str
    meta: dict
    schema: dict
    sample: dict
    template: bytes = field(repr=False)
    sha256: str

    @property
    def title(self) -> str:
        """Return the template's title."""
        return self.meta.get("title") or self.slug

    @property
    def about_child(self) -> bool:
        """Return whether the document is about a child (so the child's voice belongs in it)."""
        return bool(self.meta.get("about_child", True))


@dataclass
class Library:
    """Every entry of one library folder, the shared case schema and a reference registry."""

    root: Path
    entries: dict[str, LibraryEntry]
    case_schema: dict
    registry: Registry
    signature: tuple
    cache: dict = field(default_factory=dict)  # validators and form schemas by slug


_CACHE: dict[str, Library] = {}
_CHECKED: dict[str, float] = {}  # when each library's files were last looked at
CHECK_SECONDS = 1.0  # look for changed files at most this often
_LOCK = threading.Lock()


def library_root() -> Path:
    """Return the library folder from the settings (default: the repository's)."""
    configured = current_app.config["CLEARINGHOUSE"].get("TEMPLATES_LIBRARY_PATH")
    if configured:
        return Path(configured)
    return PROJECT_ROOT / "templates_library"


def _signature(root: Path) -> tuple:
    """Return (path, mtime, size) of every file the library is read from."""
    stamps = []
    case = root / "schemas" / "case.schema.json"
    paths = [case] if case.exists() else []
    if root.is_dir():
        for folder in sorted(p for p in root.iterdir() if p.is_dir() and p.name != "schemas"):
            paths.extend(folder / name for name in FILES if (folder / name).exists())
    for path in paths:
        stat = path.stat()
        stamps.append((str(path), stat.st_mtime_ns, stat.st_size))
    return tuple(stamps)


def _read_json(path: Path) -> dict:
    with path.open(encoding="utf-8") as handle:
        return json.load(handle)


def _load_entry(folder: Path) -> LibraryEntry | None:
    if not all((folder / name).exists() for name in FILES):
        return None
    try:
        meta = _read_json(folder / "meta.json")
        schema = _read_json(folder / "schema.json")
        sample = _read_json(folder / "sample.json")
    except (OSError, ValueError) as exc:
        log.warning("library template %s skipped: %s", folder.name, type(exc).__name__)
        return None
    template = (folder / "template.docx").read_bytes()
    return LibraryEntry(
        folder.name, meta, schema, sample, template, hashlib.sha256(template).hexdigest()
    )


def _load(root: Path, signature: tuple) -> Library:
    case_path = root / "schemas" / "case.schema.json"
    case_schema = _read_json(case_path) if case_path.exists() else {"$id": CASE_SCHEMA_ID}
    resource = Resource.from_contents(case_schema, default_specification=DRAFT202012)
    registry = Registry().with_resource(case_schema.get("$id", CASE_SCHEMA_ID), resource)
    entries = {}
    if root.is_dir():
        for folder in sorted(p for p in root.iterdir() if p.is_dir() and p.name != "schemas"):
            entry = _load_entry(folder)
            if entry is not None:
                entries[entry.slug] = entry
    log.info("template library loaded: %d templates", len(entries))
    return Library(root, entries, case_schema, registry, signature)


def library_get() -> Library:
    """Return the loaded library, re-reading it only when a file has changed."""
    root = library_root()
    key = str(root)
    cached = _CACHE.get(key)
    now = time.monotonic()
    if cached is not None and now - _CHECKED.get(key, 0.0) < CHECK_SECONDS:
        return cached
    signature = _signature(root)
    _CHECKED[key] = now
    if cached is not None and cached.signature == signature:
        return cached
    with _LOCK:
        cached = _CACHE.get(key)
        if cached is None or cached.signature != signature:
            cached = _load(root, signature)
            _CACHE[key] = cached
    return cached


def entry_get(slug: str) -> LibraryEntry:
    """Return the library template with this slug, or NotFound."""
    entry = library_get().entries.get(slug)
    if entry is None:
        raise NotFound("That template does not exist, or you do not have access to it.")
    return entry


def _case_resolver(library: Library):
    """Return a resolver rooted at the case model, to follow its references."""
    root = Resource.from_contents(library.case_schema, default_specification=DRAFT202012)
    return library.registry.resolver_with_root(root)


def case_validator() -> Draft202012Validator:
    """Return a (cached) validator for the whole case model, for parts no template schema names."""
    library = library_get()
    validator = library.cache.get(("case",))
    if validator is None:
        inlined = _inline(library.case_schema, _case_resolver(library))
        validator = Draft202012Validator(inlined, format_checker=FormatChecker())
        library.cache[("case",)] = validator
    return validator


def validator_for(slug: str) -> Draft202012Validator:
    """Return a (cached) validator for the library template's schema."""
    library = library_get()
    entry = library.entries.get(slug)
    if entry is None:
        raise NotFound("That template does not exist, or you do not have access to it.")
    validator = library.cache.get(slug)
    if validator is None:
        # References are followed once here (as allOf, which keeps their meaning exactly), so
        # validating does no reference lookups: several times faster on a whole case.
        root = Resource.from_contents(entry.schema, default_specification=DRAFT202012)
        inlined = _inline(entry.schema, library.registry.resolver_with_root(root))
        validator = Draft202012Validator(inlined, format_checker=FormatChecker())
        library.cache[slug] = validator
    return validator


def _replace_refs(node, resolver, combine, max_depth: int, depth: int = 0):
    """Return the schema with each $ref's target combined into the node that names it."""
    if depth > max_depth:
        return {}
    if isinstance(node, list):
        return [_replace_refs(item, resolver, combine, max_depth, depth) for item in node]
    if not isinstance(node, dict):
        return node
    out = {
        k: _replace_refs(v, resolver, combine, max_depth, depth + 1)
        for k, v in node.items()
        if k not in SKIP
    }
    ref = node.get("$ref")
    if isinstance(ref, str):
        try:
            resolved = resolver.lookup(ref)
        except Exception:  # noqa: BLE001 - an unresolvable reference accepts anything
            log.warning("schema reference not resolved in the library")
            return out
        target = _replace_refs(resolved.contents, resolved.resolver, combine, max_depth, depth + 1)
        out = combine(target, out)
    return out


def _inline(node, resolver):
    """Return the schema with each $ref replaced by an allOf holding its target."""
    return _replace_refs(
        node, resolver, lambda target, out: {**out, "allOf": [target, *out.get("allOf", [])]}, 60
    )


def _dereference(node, resolver):
    """Return the schema with every $ref replaced by its target (sibling keywords win)."""
    return _replace_refs(
        node,
        resolver,
        lambda target, out: _merge(target, out) if isinstance(target, dict) else out,
        40,
    )


def _merge(target: dict, extra: dict) -> dict:
    """Return target narrowed by extra: properties merged one by one, required lists joined."""
    merged = dict(target)
    for key, value in extra.items():
        current = merged.get(key)
        if key == "required" and isinstance(current, list) and isinstance(value, list):
            merged[key] = current + [v for v in value if v not in current]
        elif isinstance(current, dict) and isinstance(value, dict):
            merged[key] = _merge(current, value)
        else:
            merged[key] = value
    return merged


def form_schema(slug: str) -> dict:
    """Return the template's schema with every reference followed, for building forms."""
    library = library_get()
    entry = entry_get(slug)
    key = ("form", slug)
    cached = library.cache.get(key)
    if cached is None:
        root = Resource.from_contents(entry.schema, default_specification=DRAFT202012)
        resolver = library.registry.resolver_with_root(root)
        cached = _dereference(entry.schema, resolver)
        cached = _without_generic_hints(cached, _generic_descriptions(library.case_schema))
        library.cache[key] = cached
    return cached


def _generic_descriptions(case_schema: dict) -> set[str]:
    """Return the descriptions of the case model's plain types (a name, a date, a phone)."""
    return {
        d["description"]
        for d in (case_schema.get("$defs") or {}).values()
        if isinstance(d, dict) and d.get("type") == "string" and d.get("description")
    }


def _without_generic_hints(node, generic: set[str]):
    """Return the schema without the plain types' descriptions: a form says them once, not
    under every name and date."""
    if isinstance(node, list):
        return [_without_generic_hints(item, generic) for item in node]
    if not isinstance(node, dict):
        return node
    return {
        k: _without_generic_hints(v, generic)
        for k, v in node.items()
        if not (k == "description" and isinstance(v, str) and v in generic)
    }


def case_form_schema() -> dict:
    """Return the whole case model with every reference followed, for the case journey."""
    library = library_get()
    cached = library.cache.get(("case-form",))
    if cached is None:
        cached = _dereference(library.case_schema, _case_resolver(library))
        cached = _without_generic_hints(cached, _generic_descriptions(library.case_schema))
        library.cache[("case-form",)] = cached
    return cached


def schema_bundle(slug: str) -> dict:
    """Return the template's schema with the case model embedded, so it stands alone."""
    library = library_get()
    entry = entry_get(slug)
    bundled = dict(entry.schema)
    defs = dict(bundled.get("$defs", {}))
    defs["case"] = library.case_schema
    bundled["$defs"] = defs
    return bundled


def _source(entry: LibraryEntry) -> sources.TemplateSource:
    meta = entry.meta
    return sources.TemplateSource(
        slug=entry.slug,
        title=entry.title,
        doc_type=meta.get("doc_type", entry.slug),
        audience=meta.get("audience", "professional"),
        source="library",
        library_slug=entry.slug,
        version=str(meta.get("version", "1")),
        sha256=entry.sha256,
        load=lambda: entry.template,
        purpose=meta.get("purpose", ""),
    )


def _list_for(user) -> list[sources.TemplateSource]:
    return [_source(entry) for entry in library_get().entries.values()]


def _get_for(user, slug: str) -> sources.TemplateSource | None:
    entry = library_get().entries.get(slug)
    return _source(entry) if entry is not None else None


def library_provider() -> sources.Provider:
    """Return the built-in library as a template source provider (create_app registers it)."""
    return sources.Provider("library", _list_for, _get_for)
