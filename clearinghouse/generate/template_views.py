"""Authorities' own templates pages."""

from flask import Blueprint

bp = Blueprint("templates", __name__)
