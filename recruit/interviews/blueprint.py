"""The interviews blueprint, shared by the feature's view modules (views.py
and call_views.py, which views.py imports so its routes are registered)."""

from flask import Blueprint

bp = Blueprint("interviews", __name__)
