"""Compare and coverage pages."""

from flask import Blueprint

bp = Blueprint("compare", __name__)
