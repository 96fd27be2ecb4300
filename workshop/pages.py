"""HTML pages: home, join, board, present (server-rendered shells; the board runs in ES modules)."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("pages", __name__)
