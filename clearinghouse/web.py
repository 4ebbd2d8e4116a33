"""Blueprints, the sign-in gate, error pages and template helpers."""

import logging

from flask import Flask, jsonify, render_template, request, url_for
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from govuk_frontend_wtf.main import WTFormsHelpers
from jinja2 import ChoiceLoader, PackageLoader, PrefixLoader
from werkzeug.exceptions import HTTPException
from werkzeug.routing import IntegerConverter

from . import permissions
from .errors import ServiceError, error_body
from .extensions import csrf, login_manager
from .jsonio import SafeJSONProvider

log = logging.getLogger(__name__)

# Endpoints an anonymous visitor may reach: the sign-in page and static assets.
PUBLIC_ENDPOINTS = {"auth.sign_in", "static"}

NAVIGATION = [
    ("Search", "search.search_page"),
    ("Documents", "documents.list_documents"),
    ("Generate", "generate.choose_template"),
    ("Compare", "compare.compare_page"),
    ("Coverage", "compare.coverage_page"),
    ("Templates", "templates.list_templates"),
]


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


def _handle_service_error(exc: ServiceError):
    if _is_api():
        return jsonify(error_body(exc.code, exc.message, exc.details)), exc.status
    template = "errors/not_found.html" if exc.status == 404 else "errors/problem.html"
    return render_template(template, error=exc), exc.status


def _handle_http_error(exc: HTTPException):
    code = (exc.name or "error").lower().replace(" ", "_")
    messages = {
        404: "Page not found. If you typed the web address, check it is correct.",
        405: "That action is not available here.",
        413: "The file is too large to upload.",
    }
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
    from .auth.views import bp as auth_bp
    from .compare.views import bp as compare_bp
    from .documents.views import bp as documents_bp
    from .generate.template_views import bp as templates_bp
    from .generate.views import bp as generate_bp
    from .main_views import bp as main_bp
    from .search.views import bp as search_bp

    for blueprint in (
        main_bp,
        auth_bp,
        documents_bp,
        admin_bp,
        search_bp,
        generate_bp,
        templates_bp,
        compare_bp,
    ):
        app.register_blueprint(blueprint)
    csrf.exempt(api_bp)  # the API takes bearer tokens only, never cookies
    app.register_blueprint(api_bp)

    app.before_request(_require_sign_in)
    app.register_error_handler(ServiceError, _handle_service_error)
    app.register_error_handler(CSRFError, _handle_csrf_error)
    app.register_error_handler(HTTPException, _handle_http_error)
    if not app.config.get("PROPAGATE_EXCEPTIONS_IN_TESTS"):
        app.register_error_handler(Exception, _handle_unexpected)

    @app.context_processor
    def _globals():
        available = [(label, ep) for label, ep in NAVIGATION if ep in app.view_functions]
        has_search = "search.search_page" in app.view_functions
        search_url = url_for("search.search_page") if has_search else None
        return {
            "navigation": available,
            "service_name": "Clearinghouse",
            "search_url": search_url,
            "show_admin_link": permissions.can_manage_users(current_user),
        }

    @app.after_request
    def _security_headers(response):
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        if not _is_api():
            response.headers.setdefault("Cache-Control", "no-store")
        return response
