"""Commands for search: rebuild the index, and check it against the database."""

import os

import click
from flask.cli import with_appcontext

from .check import IndexReport, index_check, index_repair
from .entries import wanted_versions
from .index import index_rebuild


@click.command("reindex")
@click.option(
    "--versions/--current-only",
    "all_versions",
    default=None,
    help="Index earlier versions too (default: the SEARCH_INDEX_VERSIONS setting).",
)
@click.option(
    "--procs",
    type=int,
    default=None,
    help="Processes to index with (default: up to 2, one a core).",
)
@with_appcontext
def reindex_command(all_versions, procs):
    """Rebuild the search index from the database, then swap it in."""
    from flask import current_app

    from ..extensions import db

    if all_versions is None:
        all_versions = bool(current_app.config["CLEARINGHOUSE"]["SEARCH_INDEX_VERSIONS"])
    total = len(wanted_versions(db.session, all_versions))
    procs = procs or min(2, os.cpu_count() or 1)
    with click.progressbar(length=total, label=f"Indexing with {procs} processes") as bar:
        count = index_rebuild(all_versions=all_versions, procs=procs, progress=bar.update)
    click.echo(f"Indexed {count} document versions.")


@click.command("check-index")
@click.option("--repair", is_flag=True, help="Fix what differs, without a full rebuild.")
@with_appcontext
def check_index_command(repair):
    """Compare the search index with the database by content; exit 1 if anything differs."""
    if repair:
        before, report = index_repair()
        _print_report(before, err=False)
        click.echo("Repaired. Checking again:")
    else:
        report = index_check()
    _print_report(report, err=True)
    if not report.clean:
        if not repair and report.exists:  # with no index at all, the line above says reindex
            click.echo("Run: flask --app clearinghouse check-index --repair", err=True)
        raise SystemExit(1)
    click.echo("The search index is up to date.")


def _print_report(report: IndexReport, err: bool) -> None:
    if not report.exists:
        click.echo("There is no search index. Run: flask --app clearinghouse reindex", err=err)
    else:
        click.echo(
            f"{report.indexed} entries indexed, {report.expected} expected, "
            f"{report.pending} updates pending ({report.failing_tasks} failed at least once)."
        )
    if report.outdated:
        click.echo(
            "The search index was built by an earlier version of Clearinghouse and lacks "
            "fields this one searches (type names, tags and authority names as words).",
            err=err,
        )
    shown = list(report.differences.items())
    for document_id, problem in shown[:20]:
        click.echo(f"document {document_id}: {problem}", err=err)
    if len(shown) > 20:
        click.echo(f"... and {len(shown) - 20} more documents differ", err=err)
    if report.leftovers:
        click.echo(
            "A rebuild that is no longer running left: " + ", ".join(report.leftovers), err=err
        )
    for problem in report.fast_path:
        click.echo(f"Search counts differ from Whoosh's own for {problem}", err=err)


commands = [reindex_command, check_index_command]
