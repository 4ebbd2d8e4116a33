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
from .present import comparison_sides

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
    """Return the comparison as lines: versions in added/removed terms, authorities in theirs."""
    if result.get("aligned_by") == "meaning":
        return _across_authorities(result)
    summary = result["summary"]
    lines = [
        f"Similarity: {result['similarity']:.3f}",
        "Sections: {sections_same} same, {sections_changed} changed, {sections_added} added, "
        "{sections_removed} removed, {sections_moved} moved".format(**summary),
        "Words: {words_added} added, {words_removed} removed".format(**summary),
    ]
    return lines + [
        f"  {row['status']:10s} {_side(row['left'])} | {_side(row['right'])}"
        for row in result["sections"]
    ]


def _across_authorities(result: dict) -> list[str]:
    """Two authorities' documents differ by choice, not by deletion: say "only in" each."""
    summary = result["summary"]
    sides = comparison_sides(result)  # the page's names: authorities, else titles
    left, right = sides["left"], sides["right"]
    shown = {
        "same": "alike",
        "changed": "paired",
        "only_left": f"only in {left}",
        "only_right": f"only in {right}",
    }
    lines = [
        f"Similarity: {result['similarity']:.3f}",
        f"Sections: {summary['sections_same']} alike, {summary['sections_changed']} paired "
        f"with different wording, {summary['sections_removed']} only in {left}, "
        f"{summary['sections_added']} only in {right}",
    ]
    for row in result["sections"]:
        status = shown.get(row["status"], row["status"])
        why = f"  ({', '.join(row['why'])})" if row.get("why") else ""
        lines.append(f"  {status}: {_side(row['left'])} | {_side(row['right'])}{why}")
    return lines


def _side(heading) -> str:
    return "-" if heading is None else heading or "(untitled)"


@click.command("compare")
@click.argument("left")
@click.argument("right")
@AS_OPTION
@click.option(
    "--pairs",
    default=None,
    help="Sections to pair by hand, counted from 1: 3:5,4:- pairs left section 3 with right "
    "section 5 and leaves left section 4 unpaired (two authorities' documents only).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the API's JSON instead.")
@with_appcontext
def compare_command(left: str, right: str, email: str, pairs: str | None, as_json: bool):
    """Compare documents LEFT and RIGHT, each "<id>" or "<id>@<version>"."""
    try:
        result = service.documents_compare(_acting_user(email), left, right, pairs)
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
