"""Commands for documents: load the demo data, import a folder of files."""

import json
import logging
import re
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import select

from .. import permissions
from ..accounts import authority_create, user_create
from ..errors import ServiceError
from ..extensions import db
from ..models import Authority, User
from ..paths import PROJECT_ROOT
from ..permissions import SYSTEM
from ..storage import sha256_of
from . import service
from .html_backfill import versions_html_backfill, versions_without_html

log = logging.getLogger(__name__)

DEMO_PASSWORD = "clearinghouse-demo"  # noqa: S105  (demo only; documented in the README)
DEMO_ROLES = ("practitioner", "editor", "manager")
IMPORT_SUFFIXES = {".docx", ".md"}
FALLBACK_DOC_TYPE = "practice-guidance"
# Further demo data other areas load after the documents, given the editors by authority slug
# and the policies folder; the app's CLI adds them (so this module names no other feature).
SEED_STEPS: list = []


def _user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == email.lower()))


def _authority(slug: str) -> Authority | None:
    return db.session.scalar(select(Authority).where(Authority.slug == slug))


def _ensure_user(email: str, name: str, role: str, authority: str | None) -> User:
    user = _user_by_email(email)
    if user is None:
        user = user_create(
            SYSTEM,
            email=email,
            name=name,
            role=role,
            authority_slug=authority,
            password=DEMO_PASSWORD,
        )
    return user


def _load_document(editor: User, root: Path, spec: dict) -> int:
    """Create the document or add the versions it is missing; return versions added."""
    existing = service.document_find(editor, editor.authority_id, spec["title"])
    have = len(existing.versions) if existing else 0
    added = 0
    for number, version in enumerate(spec["versions"], start=1):
        if number <= have:
            continue
        path = root / version["file"]
        data = path.read_bytes()
        if existing is None:
            created = service.document_create(
                editor,
                title=spec["title"],
                doc_type=spec["doc_type"],
                visibility=spec["visibility"],
                stage=spec.get("stage"),
                tags=spec.get("tags", []),
                change_note=version["note"],
                data=data,
                filename=path.name,
            )
            existing = service.document_get(editor, created.document_id)
        else:
            service.version_add(editor, existing.id, data, path.name, version["note"])
        added += 1
    return added


@click.command("seed-demo")
@click.option("--if-empty", is_flag=True, help="Do nothing if any authority already exists.")
@click.option(
    "--policies",
    "policies_dir",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=PROJECT_ROOT / "policies",
    show_default=True,
    help="Folder holding demo.json and the files it lists.",
)
@with_appcontext
def seed_demo_command(if_empty: bool, policies_dir: Path):
    """Load three fictional authorities, a user of each role in each, and their documents."""
    if current_app.config["CLEARINGHOUSE"]["ENV"] == "production":
        raise click.ClickException(
            "seed-demo creates accounts with a published password, so it does not run in "
            "production. Set CLEARINGHOUSE_ENV=development for a demo."
        )
    manifest = json.loads((policies_dir / "demo.json").read_text(encoding="utf-8"))
    if if_empty and db.session.scalar(select(Authority.id).limit(1)) is not None:
        click.echo("The database already holds data: demo data not loaded.")
        _print_sign_ins(manifest)
        return
    editors = {}
    try:
        for spec in manifest["authorities"]:
            if _authority(spec["slug"]) is None:
                authority_create(SYSTEM, spec["slug"], spec["name"])
            for role in DEMO_ROLES:
                email = f"{role}@{spec['slug']}.example"
                user = _ensure_user(email, spec["people"][role], role, spec["slug"])
                if role == "editor":  # the manifest's editor loads the documents
                    editors[spec["slug"]] = user
        admin = manifest["admin"]
        _ensure_user(admin["email"], admin["name"], "admin", None)
        versions = 0
        for spec in manifest["documents"]:
            versions += _load_document(editors[spec["authority"]], policies_dir, spec)
        for step in SEED_STEPS:
            step(editors, policies_dir)
    except (ServiceError, OSError, KeyError) as exc:
        message = getattr(exc, "message", None) or f"{type(exc).__name__}: {exc}"
        raise click.ClickException(f"Could not load the demo data: {message}") from None
    click.echo(f"Demo data ready ({versions} document versions added).")
    _print_sign_ins(manifest)


def _print_sign_ins(manifest: dict) -> None:
    """Print the demo accounts that exist, with the demo password."""
    wanted = [
        (f"{role}@{spec['slug']}.example", f"{role}, {spec['name']}")
        for spec in manifest["authorities"]
        for role in DEMO_ROLES
    ] + [(manifest["admin"]["email"], "site admin")]
    found = [(email, what) for email, what in wanted if _user_by_email(email) is not None]
    if found:
        click.echo(f"Demo sign-ins, all with the password {DEMO_PASSWORD} (for the demo only):")
        for email, what in found:
            click.echo(f"  {email:<36} {what}")


def _title_from(path: Path) -> str:
    words = re.sub(r"[-_\s]+", " ", path.stem).strip()
    return (words[:1].upper() + words[1:])[:300] or path.name


def _guess_doc_type(path: Path, slugs: list[str]) -> str:
    """Return the longest document-type slug the file name contains, or the fallback."""
    stem = re.sub(r"[^a-z0-9]+", "-", path.stem.lower())
    found = [slug for slug in slugs if slug in stem]
    return max(found, key=len) if found else FALLBACK_DOC_TYPE


def _uploader(authority: Authority, as_email: str | None) -> User:
    if as_email:
        user = _user_by_email(as_email.strip())
        if user is None or not user.active:
            raise click.ClickException(f"No active user with the email address {as_email}.")
        return user
    members = db.session.scalars(
        select(User)
        .where(User.authority_id == authority.id, User.active.is_(True))
        .order_by(User.id)
    )
    user = next((u for u in members if permissions.can_upload_document(u, authority.id)), None)
    if user is None:
        raise click.ClickException(
            f"{authority.name} has no active editor to upload as. "
            "Create one with create-user, or name one with --as."
        )
    return user


VISIBILITY_OUTCOMES = {"shared": "shared", "internal": "made internal"}


def _import_one(user, path: Path, relative: str, doc_type: str, visibility: str | None) -> list:
    """Import one file as a new document or a new version, and apply the visibility asked for
    to a document already imported; return what happened (["unchanged"] when nothing did)."""
    data = path.read_bytes()
    title = _title_from(path)
    note = f"Imported from {relative}"
    existing = service.document_find(user, user.authority_id, title)
    if existing is None:
        service.document_create(
            user,
            title=title,
            doc_type=doc_type,
            visibility=visibility or "internal",
            data=data,
            filename=path.name,
            change_note=note,
        )
        return ["created"]
    outcomes = []
    if not existing.versions or existing.versions[-1].sha256 != sha256_of(data):
        service.version_add(user, existing.id, data, path.name, note)
        outcomes.append("new version")
    if visibility and existing.visibility != visibility:
        service.document_set_visibility(user, existing.id, visibility)  # audited and indexed
        outcomes.append(VISIBILITY_OUTCOMES[visibility])
    return outcomes or ["unchanged"]


@click.command("import-folder")
@click.argument("path", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--authority", "authority_slug", required=True, help="The authority's slug.")
@click.option("--doc-type", help="Document type slug for every file (default: guessed from name).")
@click.option(
    "--visibility",
    type=click.Choice(["shared", "internal"]),
    default=None,
    help=(
        "Who may see the documents: new ones are internal unless given; given, it is applied "
        "to documents imported before too (reported as shared or made internal)."
    ),
)
@click.option(
    "--as",
    "as_email",
    help="Upload as this editor (default: the authority's first active editor).",
)
@with_appcontext
def import_folder_command(path: Path, authority_slug, doc_type, visibility, as_email):
    """Import every .docx and .md under PATH; bad files are reported and skipped."""
    authority = _authority(authority_slug)
    if authority is None:
        raise click.ClickException(f"There is no authority called {authority_slug}.")
    user = _uploader(authority, as_email)
    if not permissions.can_upload_document(user, authority.id):
        raise click.ClickException(f"{user.email} is not an editor of {authority.name}.")
    slugs = [t["slug"] for t in service.doc_types_list()]
    if doc_type and doc_type not in slugs:
        raise click.ClickException(f"Unknown document type {doc_type}. Known: {', '.join(slugs)}")
    files = sorted(
        p
        for p in path.rglob("*")
        if p.is_file()
        and p.suffix.lower() in IMPORT_SUFFIXES
        and not p.name.startswith((".", "~$"))
    )
    counts = dict.fromkeys(["created", "new version", "shared", "made internal", "unchanged"], 0)
    refused = []
    with click.progressbar(files, label=f"Importing into {authority.name}") as bar:
        for file in bar:
            relative = file.relative_to(path).as_posix()
            try:
                outcomes = _import_one(
                    user, file, relative, doc_type or _guess_doc_type(file, slugs), visibility
                )
            except ServiceError as exc:
                db.session.rollback()
                refused.append((relative, exc.message))
            except OSError as exc:
                refused.append((relative, f"could not be read ({type(exc).__name__})"))
            else:
                for outcome in outcomes:
                    counts[outcome] += 1
    for relative, message in refused:
        click.echo(f"Skipped {relative}: {message}", err=True)
    click.echo(
        f"{len(files)} files: {counts['created']} new documents, {counts['new version']} new "
        f"versions, {counts['shared']} shared, {counts['made internal']} made internal, "
        f"{counts['unchanged']} unchanged, {len(refused)} skipped."
    )
    if refused:
        raise SystemExit(1)


@click.command("backfill-html")
@with_appcontext
def backfill_html_command():
    """Store the HTML of versions uploaded before HTML was made at upload (safe to rerun)."""
    waiting = versions_without_html()
    with click.progressbar(length=waiting, label="Making HTML") as bar:
        result = versions_html_backfill(progress=bar.update)
    click.echo(
        f"{result.filled} versions now have their HTML stored; "
        f"{result.unreadable} have a missing or damaged file and were left as they are."
    )
    if result.unreadable:
        raise SystemExit(1)


commands = [seed_demo_command, import_folder_command, backfill_html_command]
