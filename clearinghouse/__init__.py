"""Clearinghouse: Signs of Safety-aligned forms and policies, search, comparison, generation."""

import logging
import secrets
import threading
from pathlib import Path

import click
from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from .config import SettingError, load_settings
from .extensions import csrf, db, login_manager, migrate
from .paths import PROJECT_ROOT

log = logging.getLogger(__name__)


MISSING_KEY_MESSAGE = (
    "CLEARINGHOUSE_SECRET_KEY must be set in production "
    "(or set CLEARINGHOUSE_ENV=development for a local demo)."
)
SERVING_COMMANDS = {"run"}  # flask commands that serve pages, so sign sessions and forms


def _flask_command() -> str | None:
    """Return the name of the flask command loading the app, "" for one of the app's own
    commands (loaded while the command is looked up), or None when no command is running
    (a WSGI server such as gunicorn, or tests)."""
    context = click.get_current_context(silent=True)
    if context is None:
        return None
    return context.command.name if context.parent is not None else ""


def _secret_key(settings: dict, instance_path: Path) -> str | None:
    """Return the secret key: required in production to serve, a per-instance one in
    development. Commands that serve nothing (init-db, create-token, reindex...) sign nothing,
    so they run without one; a serving command without one stops with a one-line message."""
    if settings["SECRET_KEY"]:
        return settings["SECRET_KEY"]
    if settings["ENV"] == "production":
        command = _flask_command()
        if command is None:
            raise RuntimeError(MISSING_KEY_MESSAGE)
        if command in SERVING_COMMANDS:
            raise click.ClickException(MISSING_KEY_MESSAGE)
        return None
    key_file = instance_path / "dev-secret-key"
    if not key_file.exists():
        key_file.write_text(secrets.token_hex(32))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


def _max_form_memory(settings: dict, max_content_length: int) -> int:
    """Return the most a form's text may take (a multipart field, or a whole urlencoded form).

    Werkzeug's default (500 KB) answered a long title with 413 "file too large" before the
    form could say the title is too long, and is below a percent-encoded case posted back
    from the preview page. MAX_CONTENT_LENGTH stays the real cap on a request.
    """
    case_kb = settings["RENDER_MAX_INPUT_KB"] * 3 + 512  # %XX triples the bytes, plus fields
    return min(max(4 * 1024 * 1024, case_kb * 1024), max_content_length)


def _apply_settings(app: Flask, settings: dict) -> None:
    instance_path = Path(app.instance_path)
    instance_path.mkdir(parents=True, exist_ok=True)
    app.config["CLEARINGHOUSE"] = settings
    app.config["SECRET_KEY"] = _secret_key(settings, instance_path)
    app.config["SQLALCHEMY_DATABASE_URI"] = settings["DATABASE_URL"] or (
        f"sqlite:///{instance_path / 'clearinghouse.sqlite3'}"
    )
    app.config["MAX_CONTENT_LENGTH"] = (settings["MAX_UPLOAD_MB"] + 1) * 1024 * 1024
    app.config["MAX_FORM_MEMORY_SIZE"] = _max_form_memory(
        settings, app.config["MAX_CONTENT_LENGTH"]
    )
    secure = settings["ENV"] == "production"
    app.config.update(
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=secure,
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SAMESITE="Lax",
        REMEMBER_COOKIE_SECURE=secure,
        WTF_CSRF_TIME_LIMIT=None,
        TESTING=settings["ENV"] == "testing" or settings.get("TESTING", False),
    )
    for key, value in settings.items():
        if key.startswith("FLASK_"):
            app.config[key[len("FLASK_") :]] = value


def _register_template_sources() -> None:
    """Give generation its template sources (the built-in library first, then authorities')
    and where an authority's own details come from (its profile)."""
    from .authority_templates.provider import authority_provider
    from .generation.library import library_provider
    from .generation.sources import AuthorityDetails, register_authority_details, register_provider
    from .profiles.service import profile_for_case, profile_logo

    register_provider(library_provider())
    register_provider(authority_provider())
    register_authority_details(AuthorityDetails(profile_for_case, profile_logo))


def _warm_reading_age(app: Flask) -> None:
    """On a server's first request, load the reading-age dictionary and start the PDF
    converters in the background, so the first family document a practitioner checks does
    not wait a second for the one, nor the first PDF two seconds for LibreOffice."""
    if app.testing:
        return
    started = threading.Event()

    @app.before_request
    def _start_warming() -> None:
        if not started.is_set():
            started.set()
            from .generation.case_quality_language import reading_age_warm
            from .generation.rendering import pdf_warm

            threading.Thread(target=reading_age_warm, name="reading-age-warm", daemon=True).start()
            if app.config["CLEARINGHOUSE"]["PDF_WARM"]:
                pdf_warm()


def create_app(config: dict | None = None) -> Flask:
    """Create the Flask app from settings, the environment and config overrides."""
    try:
        settings = load_settings(config)
    except SettingError as exc:
        if _flask_command() is not None:
            raise click.ClickException(str(exc)) from None  # one line, no traceback
        raise
    instance_path = settings["INSTANCE_PATH"] or str(PROJECT_ROOT / "instance")
    app = Flask(__name__, instance_path=str(Path(instance_path).resolve()))
    _apply_settings(app, settings)
    if settings["TRUSTED_PROXIES"] > 0:
        # Believe X-Forwarded-For/-Proto only as far back as the proxies we run.
        hops = settings["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)

    db.init_app(app)
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"), render_as_batch=True)
    login_manager.init_app(app)
    csrf.init_app(app)

    from . import sqlite_pragmas
    from .web import register_web

    sqlite_pragmas.register(app)
    register_web(app)

    from .cli import register_cli

    register_cli(app)
    _register_template_sources()
    _warm_reading_age(app)

    from .search.index import apply_pending_at_start
    from .search.indexing import apply_after_commit
    from .unit_of_work import register_index_applier

    register_index_applier(apply_after_commit)  # core's unit of work knows no search module
    apply_pending_at_start(app)  # search updates a crash left pending
    return app
