"""flask practice-figures SLUG [--csv]: an authority's practice figures, small groups withheld."""

import click
from flask.cli import with_appcontext

from ..errors import ServiceError
from ..models import utcnow
from ..permissions import SYSTEM
from .export import figures_csv, figures_text
from .service import practice_figures


@click.command("practice-figures")
@click.argument("authority_slug")
@click.option("--csv", "as_csv", is_flag=True, help="Print CSV (the web page's download).")
@with_appcontext
def practice_figures_command(authority_slug: str, as_csv: bool):
    """Print AUTHORITY_SLUG's practice figures for the last eight completed quarters, with
    the same groups of fewer than 5 withheld as on the web page."""
    try:
        data = practice_figures(SYSTEM, authority_slug, utcnow().date())
    except ServiceError as exc:
        raise click.ClickException(exc.message) from None
    click.echo(figures_csv(data) if as_csv else figures_text(data), nl=False)


commands = [practice_figures_command]
