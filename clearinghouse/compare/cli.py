"""Commands: compare two documents or versions, and export the coverage matrix as CSV."""

import json
import logging

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from ..errors import ServiceError
from ..extensions import db
from ..models import User
from . import coverage, service

log = logging.getLogger(__name__)

AS_OPTION = click.option(
    "--as",
    "email",
    required=True,
    help="Email of the user to act as: only what they may see is compared or counted.",
)


def _acting_user(email: str) -> User:
    user = db.session.scalar(select(User).where(User.email == email.strip().lower()))
    if user is None or not user.active:
        raise click.ClickException(f"No active user with the email address {email}.")
    return user


def _summary_lines(result: dict) -> list[str]:
    summary = result["summary"]
    lines = [
        f"Similarity: {result['similarity']:.3f}",
        "Sections: {sections_same} same, {sections_changed} changed, {sections_added} added, "
        "{sections_removed} removed, {sections_moved} moved".format(**summary),
        "Words: {words_added} added, {words_removed} removed".format(**summary),
    ]
    for row in result["sections"]:
        left = "-" if row["left"] is None else row["left"] or "(untitled)"
        right = "-" if row["right"] is None else row["right"] or "(untitled)"
        lines.append(f"  {row['status']:10s} {left} | {right}")
    return lines


@click.command("compare")
@click.argument("left")
@click.argument("right")
@AS_OPTION
@click.option("--json", "as_json", is_flag=True, help="Print the API's JSON instead.")
@with_appcontext
def compare_command(left: str, right: str, email: str, as_json: bool):
    """Compare documents LEFT and RIGHT, each "<id>" or "<id>@<version>"."""
    try:
        result = service.documents_compare(_acting_user(email), left, right)
    except ServiceError as exc:
        raise click.ClickException(exc.message) from None
    if as_json:
        result["sections"] = service.api_sections(result["sections"])
        click.echo(json.dumps(result, indent=2))
    else:
        click.echo("\n".join(_summary_lines(result)))


@click.command("coverage")
@AS_OPTION
@click.option("--stage", default="", help="Only document types of this practice stage.")
@click.option("--authority", default="", help="Only this authority (its short name).")
@with_appcontext
def coverage_command(email: str, stage: str, authority: str):
    """Print the coverage matrix as CSV (authorities by document type)."""
    try:
        matrix = coverage.coverage_matrix(_acting_user(email), stage=stage, authority=authority)
    except ServiceError as exc:
        raise click.ClickException(exc.message) from None
    click.echo(coverage.coverage_csv(matrix, lambda i: f"/documents/{i}"), nl=False)


commands = [compare_command, coverage_command]
