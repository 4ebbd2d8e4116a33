"""Commands for template authors: check a template against a document type, render any file."""

import json
from pathlib import Path

import click
from flask.cli import with_appcontext

from .. import jsonio, renderer
from ..errors import ServiceError
from ..generation import rendering
from ..permissions import SYSTEM
from . import service


def _fail(message: str, details: list | None = None) -> None:
    """Print the message and its details to standard error, then exit 1 (no traceback)."""
    lines = [message]
    for detail in details or []:
        if isinstance(detail, dict):
            text = detail.get("message") or ""
            if detail.get("context"):
                text += f'\n    near: "{detail["context"]}"'
            if text and text not in lines:
                lines.append(f"  - {text}")
    raise click.ClickException("\n".join(lines))


def _read(path: str, what: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        _fail(f"Cannot read the {what} {path}: {exc.strerror or 'unreadable'}.")


def print_report(report: dict) -> None:
    """Print a check report for people: errors, information, whether a preview was made."""
    click.echo(f"Checked against: {report['library_title']} ({report['library_slug']})")
    click.echo(f"Errors: {len(report['errors'])}")
    for error in report["errors"]:
        where = f" [{error['part']}]" if error.get("part") else ""
        click.echo(f"  - {error['message']}{where}")
        if error.get("context"):
            click.echo(f'    near: "{error["context"]}"')
    if not report.get("fields_checked", True):
        click.echo("Fields are checked against the schema once the errors are fixed.")
    click.echo(f"Information: {len(report['info'])}")
    for item in report["info"]:
        click.echo(f"  - {item['message']}")
    click.echo(f"Variables used: {', '.join(report['variables']) or 'none'}")
    if report.get("preview_html"):
        click.echo("A test render with the sample data worked.")


@click.command("check-template")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--doc-type", "doc_type", required=True, help="The library template slug.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@with_appcontext
def check_template_command(file: str, doc_type: str, as_json: bool):
    """Check a template FILE (.docx) against a document type; exit 1 if it has errors."""
    data = _read(file, "template")
    try:
        report = service.template_check(
            SYSTEM, data=data, filename=Path(file).name, doc_type=doc_type
        )
    except ServiceError as exc:
        _fail(exc.message, exc.details)
    if as_json:
        click.echo(json.dumps({k: v for k, v in report.items() if k != "preview_html"}, indent=2))
    else:
        print_report(report)
    if report["errors"]:
        raise SystemExit(1)


@click.command("render-file")
@click.argument("template", type=click.Path(dir_okay=False))
@click.argument("data", type=click.Path(dir_okay=False))
@click.option(
    "-o", "--output", required=True, type=click.Path(dir_okay=False), help="The .docx to write."
)
@with_appcontext
def render_file_command(template: str, data: str, output: str):
    """Render any TEMPLATE.docx with any DATA.json through the sandboxed renderer (no schema)."""
    template_bytes = _read(template, "template")
    try:
        context = jsonio.loads(_read(data, "data file").decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as exc:
        _fail(f"The data file {data} is not valid JSON ({type(exc).__name__}).")
    except ServiceError as exc:  # a character that cannot be used, named by its place
        _fail(f"The data file {data} cannot be used: {exc.message}", exc.details)
    if not isinstance(context, dict):
        _fail('The data file must hold a JSON object, such as {"name": "Jamie"}.')
    try:
        result = rendering.render_docx(template_bytes, context)
    except ServiceError as exc:
        _fail(exc.message, exc.details)
    finally:
        renderer.shutdown()
    try:
        Path(output).write_bytes(result)
    except OSError as exc:
        _fail(f"Cannot write {output}: {exc.strerror or 'not writable'}.")
    click.echo(f"Wrote {output} ({len(result) // 1024 + 1} KB).")


commands = [check_template_command, render_file_command]
