"""Blueprints, the sign-in gate, error pages, security headers and template helpers."""

import logging
import secrets
from urllib.parse import urlsplit

from flask import Flask, current_app, jsonify, render_template, request, url_for
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from govuk_frontend_wtf.main import WTFormsHelpers
from jinja2 import ChoiceLoader, PackageLoader, PrefixLoader
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException
from werkzeug.routing import IntegerConverter

from . import permissions, sqlite_pragmas
from .access_table import public_endpoints
from .errors import Busy, NotFound, ServiceError, error_body
from .extensions import csrf, db, login_manager
from .jsonio import SafeJSONProvider
from .text import InvalidText, field_problems, text_problem

log = logging.getLogger(__name__)

# Endpoints an anonymous visitor may reach (the sign-in page and static assets), from the table.
PUBLIC_ENDPOINTS = public_endpoints()

# Every response's Content-Security-Policy; a page's one inline script (GOV.UK Frontend's
# js-enabled snippet in the page template) runs by the request's nonce.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src {script}; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
    "form-action 'self'"
)

NAVIGATION = [
    ("Search", "search.search_page"),
    ("Documents", "documents.list_documents"),
    ("Generate", "generate.choose_template"),
    ("Compare", "compare.compare_page"),
    ("Coverage", "compare.coverage_page"),
    ("Templates", "templates.list_templates"),
    ("Audits", "audits.list_audits"),
    ("Practice figures", "practice_figures.index"),
]
# Links shown only to those the rule lets in (permissions.<rule>(current_user)).
NAVIGATION_RULES = {"practice_figures.index": "can_see_practice_figures_page"}


def _is_api() -> bool:
    return request.path.startswith("/api/")


def _require_sign_in():
    """Refuse every request but the public ones unless someone is signed in."""
    if request.endpoint in PUBLIC_ENDPOINTS or request.endpoint is None:
        return None
    if _is_api():
        return None  # the API blueprint checks its bearer token itself
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    return None


CSP_NONCE = "clearinghouse.csp_nonce"  # kept in the request's environ: one per request


def _csp_nonce() -> str:
    """Return this request's nonce for inline scripts, made when a page first asks for it."""
    return request.environ.setdefault(CSP_NONCE, secrets.token_urlsafe(18))


def _bad_text(kind: str, form: bool) -> InvalidText | None:
    """Return the refusal for text that no request may carry, or None if all is well."""
    for value in (request.view_args or {}).values():
        if isinstance(value, str) and text_problem(value):
            raise NotFound("Page not found. If you typed the web address, check it is correct.")
    details = []
    for name, value in request.args.items(multi=True):
        details += field_problems([(name, name)], f"The name of a {kind}")
        details += field_problems([(name, value)], f'The {kind} "{name}"')
    if form and request.mimetype in ("multipart/form-data", "application/x-www-form-urlencoded"):
        for name, value in request.form.items(multi=True):
            details += field_problems([(name, name)], "The name of a form field")
            details += field_problems([(name, value)], f'The field "{name}"')
        for name, upload in request.files.items(multi=True):
            label = f'The name of the file sent as "{name}"'
            details += field_problems([(name, upload.filename or "")], label)
    return InvalidText(details) if details else None


def back_url() -> str | None:
    """Return the page the visitor came from, if it is on this site (for "Go back" links)."""
    parts = urlsplit(request.referrer or "")
    if parts.scheme not in ("http", "https") or parts.netloc != request.host:
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _refuse_bad_page_text():
    """Refuse a page whose address holds NUL or a lone surrogate (forms check their own)."""
    if _is_api():
        return None
    problem = _bad_text("part of the web address", form=False)
    if problem:
        raise problem
    return None


def _refuse_bad_api_text():
    """Refuse an API call whose address or form fields hold NUL or a lone surrogate."""
    problem = _bad_text("query parameter", form=True)
    if problem:
        raise problem
    return None


def _handle_service_error(exc: ServiceError):
    if _is_api():
        return jsonify(error_body(exc.code, exc.message, exc.details)), exc.status, exc.headers
    template = "errors/not_found.html" if exc.status == 404 else "errors/problem.html"
    return render_template(template, error=exc), exc.status, exc.headers


def _too_large_message() -> str:
    """Say what was too large: the whole upload, or text in a form (MAX_FORM_MEMORY_SIZE)."""
    limit = current_app.config["MAX_CONTENT_LENGTH"]
    if request.content_length is not None and request.content_length <= limit:
        return "Some of the text sent is too long. Shorten it and try again."
    megabytes = current_app.config["CLEARINGHOUSE"]["MAX_UPLOAD_MB"]
    return f"The file is too large to upload. The largest accepted is {megabytes} MB."


def _handle_http_error(exc: HTTPException):
    code = (exc.name or "error").lower().replace(" ", "_")
    messages = {
        404: "Page not found. If you typed the web address, check it is correct.",
        405: "That action is not available here.",
    }
    if exc.code == 413:
        messages[413] = _too_large_message()
    message = messages.get(exc.code, exc.description or "Something went wrong with that request.")
    if _is_api():
        return jsonify(error_body(code, message)), exc.code
    template = "errors/not_found.html" if exc.code == 404 else "errors/problem.html"
    error = ServiceError(message, code)
    return render_template(template, error=error), exc.code


def _handle_csrf_error(exc: CSRFError):
    message = (
        "Your form expired or was sent from another page. Go back, refresh the page and try again."
    )
    if _is_api():
        return jsonify(error_body("csrf_failed", message)), 400
    return render_template("errors/problem.html", error=ServiceError(message, "csrf_failed")), 400


def _handle_database_error(exc: OperationalError):
    """Answer 503 when SQLite stayed locked past busy_timeout; anything else is unexpected."""
    if not sqlite_pragmas.is_busy(exc):
        if current_app.config.get("PROPAGATE_EXCEPTIONS_IN_TESTS"):
            raise exc
        return _handle_unexpected(exc)
    db.session.rollback()  # the failed transaction's writes are undone, and the session usable
    log.warning("database busy at %s %s", request.method, request.path)
    message = "The service is busy just now. Wait a few seconds, then try again."
    return _handle_service_error(Busy(message))


def _handle_unexpected(exc: Exception):
    # Log the type and place only: exception messages can carry case data.
    log.error("unhandled %s at %s %s", type(exc).__name__, request.method, request.path)
    message = "Sorry, there is a problem with the service. Try again later."
    if _is_api():
        return jsonify(error_body("internal_error", message)), 500
    return render_template(
        "errors/problem.html", error=ServiceError(message, "internal_error")
    ), 500


class DatabaseIdConverter(IntegerConverter):
    """An <int:...> URL part that never exceeds what the database can hold (else 404)."""

    def __init__(self, url_map, fixed_digits=0, min=None, max=2**63 - 1, signed=False):
        super().__init__(url_map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def register_web(app: Flask) -> None:
    """Register blueprints, the sign-in gate, error handlers and template globals."""
    app.url_map.converters["int"] = DatabaseIdConverter
    app.json = SafeJSONProvider(app)
    app.jinja_loader = ChoiceLoader(
        [
            PackageLoader("clearinghouse", "templates"),
            PrefixLoader(
                {
                    "govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja"),
                    "govuk_frontend_wtf": PackageLoader("govuk_frontend_wtf"),
                }
            ),
        ]
    )
    WTFormsHelpers(app)
    login_manager.login_view = "auth.sign_in"
    login_manager.login_message = "Sign in to use Clearinghouse."
    login_manager.login_message_category = "info"

    from .admin.views import bp as admin_bp
    from .api import bp as api_bp
    from .audit_log.views import bp as audit_bp
    from .audits.views import bp as audits_bp
    from .auth.views import bp as auth_bp
    from .authority_templates.views import bp as templates_bp
    from .compare.views import bp as compare_bp
    from .documents.views import bp as documents_bp
    from .feedback.views import bp as feedback_bp
    from .generation import pack_views  # noqa: F401 - adds the pack pages to generate_bp
    from .generation.views import bp as generate_bp
    from .journey.views import bp as journey_bp
    from .main_views import bp as main_bp
    from .practice_figures.views import bp as practice_figures_bp
    from .profiles.views import bp as profiles_bp
    from .search.views import bp as search_bp
    from .self_assessment.views import bp as self_assessment_bp
    from .teams.views import bp as teams_bp

    for blueprint in (
        main_bp,
        auth_bp,
        documents_bp,
        admin_bp,
        search_bp,
        generate_bp,
        journey_bp,
        templates_bp,
        compare_bp,
        audit_bp,
        profiles_bp,
        self_assessment_bp,
        audits_bp,
        teams_bp,
        feedback_bp,
        practice_figures_bp,
    ):
        app.register_blueprint(blueprint)
    csrf.exempt(api_bp)  # the API takes bearer tokens only, never cookies
    app.register_blueprint(api_bp)

    app.before_request(_require_sign_in)
    app.before_request(_refuse_bad_page_text)
    # After the API's own token check, so an anonymous caller's body is never parsed.
    app.before_request_funcs.setdefault(api_bp.name, []).append(_refuse_bad_api_text)
    app.register_error_handler(ServiceError, _handle_service_error)
    app.register_error_handler(CSRFError, _handle_csrf_error)
    app.register_error_handler(HTTPException, _handle_http_error)
    app.register_error_handler(OperationalError, _handle_database_error)
    if not app.config.get("PROPAGATE_EXCEPTIONS_IN_TESTS"):
        app.register_error_handler(Exception, _handle_unexpected)

    app.add_template_global(back_url)

    @app.context_processor
    def _globals():
        available = [
            (label, ep)
            for label, ep in NAVIGATION
            if ep in app.view_functions
            and (
                ep not in NAVIGATION_RULES
                or getattr(permissions, NAVIGATION_RULES[ep])(current_user)
            )
        ]
        has_search = "search.search_page" in app.view_functions
        search_url = url_for("search.search_page") if has_search else None
        return {
            "navigation": available,
            "service_name": "Clearinghouse",
            "search_url": search_url,
            "show_admin_link": permissions.can_manage_users(current_user),
            "cspNonce": _csp_nonce(),
        }

    @app.after_request
    def _security_headers(response):
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        nonce = request.environ.get(CSP_NONCE) if request else None
        script = f"'self' 'nonce-{nonce}'" if nonce else "'self'"
        response.headers.setdefault(
            "Content-Security-Policy", CONTENT_SECURITY_POLICY.format(script=script)
        )
        if not _is_api():
            response.headers.setdefault("Cache-Control", "no-store")
        return response
