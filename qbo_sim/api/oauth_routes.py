"""Placeholder blueprint."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("oauth", __name__)
