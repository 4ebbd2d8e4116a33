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
from . import service

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


@click.command("render")
@click.argument("slug")
@click.argument("case_file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write the document (default: a name from the document type and date).",
)
@click.option("--format", "fmt", type=click.Choice(["docx", "html"]), default="docx")
@click.option(
    "--as",
    "as_email",
    help="Generate as this user (their permissions apply); default: the system, "
    "library templates only.",
)
@with_appcontext
def render_command(slug: str, case_file: Path, output: Path | None, fmt: str, as_email):
    """Render template SLUG with the case data in CASE_FILE (JSON); warnings go to stderr."""
    user = SYSTEM
    if as_email:
        user = db.session.scalar(db.select(User).where(User.email == as_email.strip().lower()))
        if user is None or not user.active:
            raise click.ClickException(f"No active user with the email address {as_email}.")
    case_data = _load_case(case_file)
    try:
        generated = service.document_generate(user, slug, case_data, fmt=fmt)
    except ServiceError as exc:
        lines = [exc.message]
        lines += [f"  {d.get('path') or '/'}: {d.get('message')}" for d in exc.details]
        raise click.ClickException("\n".join(lines)) from None
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


commands: list = [render_command]
