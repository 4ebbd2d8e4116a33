"""Admin pages: authorities, users and document types."""

from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")
