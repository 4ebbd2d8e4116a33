"""Commands for generation: render a document from a case file."""

import logging
from pathlib import Path

import click
from flask.cli import with_appcontext

from .. import jsonio
from ..errors import ServiceError
from ..extensions import db
from ..models import User
from ..permissions import SYSTEM
from . import packs, service

log = logging.getLogger(__name__)


def _load_case(path: Path) -> dict:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise click.ClickException(f"Cannot read {path}: {exc.strerror}.") from None
    try:
        return jsonio.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as exc:
        where = f" (line {exc.lineno}, column {exc.colno})" if hasattr(exc, "lineno") else ""
        raise click.ClickException(f"{path} is not valid JSON{where}.") from None
    except ServiceError as exc:  # a character that cannot be used, named by its place
        raise click.ClickException(f"{path} cannot be used: {exc.message}") from None


def _acting_user(as_email: str | None):
    if not as_email:
        return SYSTEM
    user = db.session.scalar(db.select(User).where(User.email == as_email.strip().lower()))
    if user is None or not user.active:
        raise click.ClickException(f"No active user with the email address {as_email}.")
    return user


def _error_text(exc: ServiceError) -> str:
    lines = [exc.message]
    lines += [f"  {d.get('path') or '/'}: {d.get('message')}" for d in exc.details]
    return "\n".join(lines)


@click.command("render")
@click.argument("slug")
@click.argument("case_file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write the document (default: a name from the document type and date).",
)
@click.option("--format", "fmt", type=click.Choice(["docx", "pdf", "html"]), default="docx")
@click.option("--pdfa", is_flag=True, help="With --format pdf: PDF/A-2b, for court bundles.")
@click.option(
    "--as",
    "as_email",
    help="Generate as this user (their permissions apply); default: the system, "
    "library templates only.",
)
@with_appcontext
def render_command(slug: str, case_file: Path, output: Path | None, fmt: str, pdfa: bool, as_email):
    """Render template SLUG with the case data in CASE_FILE (JSON); warnings go to stderr."""
    user = _acting_user(as_email)
    case_data = _load_case(case_file)
    try:
        fmt, pdfa = service.output_format(fmt, pdfa)
        generated = service.document_generate(user, slug, case_data, fmt=fmt, pdfa=pdfa)
    except ServiceError as exc:
        raise click.ClickException(_error_text(exc)) from None
    target = output or Path(generated.filename)
    data = generated.content
    try:
        if isinstance(data, str):
            target.write_text(data, encoding="utf-8")
        else:
            target.write_bytes(data)
    except OSError as exc:
        raise click.ClickException(f"Cannot write {target}: {exc.strerror}.") from None
    for warning in generated.warnings:
        click.echo(f"Warning: {warning['message']} ({warning['path'] or '/'})", err=True)
    click.echo(f"Wrote {target} (sha256 {generated.sha256})")


@click.command("render-pack")
@click.argument("slug")
@click.argument("case_file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write the zip (default: the pack's name and the date).",
)
@click.option("--format", "fmt", type=click.Choice(["docx", "pdf"]), default="docx")
@click.option("--pdfa", is_flag=True, help="With --format pdf: PDF/A-2b, for court bundles.")
@click.option(
    "--as",
    "as_email",
    help="Generate as this user (their permissions and template choices apply); default: the "
    "system, library templates only.",
)
@with_appcontext
def render_pack_command(
    slug: str, case_file: Path, output: Path | None, fmt: str, pdfa: bool, as_email
):
    """Render every document of pack SLUG from CASE_FILE (JSON) into one zip."""
    user = _acting_user(as_email)
    case_data = _load_case(case_file)
    try:
        generated = packs.pack_render(user, slug, case_data, fmt=fmt, pdfa=pdfa)
    except ServiceError as exc:
        raise click.ClickException(_error_text(exc)) from None
    target = output or Path(generated.filename)
    try:
        target.write_bytes(generated.content)
    except OSError as exc:
        raise click.ClickException(f"Cannot write {target}: {exc.strerror}.") from None
    for warning in generated.warnings:
        click.echo(
            f"Warning: {warning['document']}: {warning['message']} ({warning['path'] or '/'})",
            err=True,
        )
    for document in generated.documents:
        click.echo(f"  {document['filename']}")
    click.echo(f"Wrote {target} with {len(generated.documents)} documents")


commands: list = [render_command, render_pack_command]
