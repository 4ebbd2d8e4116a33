"""Commands for search: rebuild the index, and check it against the database."""

import os

import click
from flask.cli import with_appcontext

from .index import index_check, index_rebuild, wanted_versions


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
@with_appcontext
def check_index_command():
    """Report documents missing from the search index or stale; exit 1 if any."""
    report = index_check()
    if not report["exists"]:
        click.echo("There is no search index. Run: flask --app clearinghouse reindex", err=True)
        raise SystemExit(1)
    click.echo(
        f"{report['indexed']} entries indexed, {report['expected']} expected, "
        f"{report['pending']} updates pending."
    )
    problems = 0
    for kind in ("missing", "stale", "extra"):
        entries = report[kind]
        problems += len(entries)
        if entries:
            shown = ", ".join(f"document {d} version {v}" for d, v in entries[:20])
            more = f" and {len(entries) - 20} more" if len(entries) > 20 else ""
            click.echo(f"{len(entries)} {kind}: {shown}{more}", err=True)
    if problems:
        click.echo("Run: flask --app clearinghouse reindex", err=True)
        raise SystemExit(1)
    click.echo("The search index is up to date.")


commands = [reindex_command, check_index_command]
