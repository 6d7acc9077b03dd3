"""Placeholder blueprint."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("query", __name__)
