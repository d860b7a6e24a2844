"""What a URL's parts may hold, so that a hostile one is not found rather than an error.

An id too big for a database integer overflows SQLite's and PostgreSQL's differently, and
PostgreSQL refuses NUL in text it is asked to compare: no route matches either.
"""

from __future__ import annotations

from typing import Any

from flask import Flask
from werkzeug.routing import IntegerConverter, Map, UnicodeConverter

LARGEST_ID = 2**31 - 1


class DatabaseId(IntegerConverter):
    def __init__(self, map: Map, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", LARGEST_ID)
        super().__init__(map, *args, **kwargs)


class PathText(UnicodeConverter):
    """A part of the path (a token, a board's name) without control characters."""

    def __init__(self, map: Map, *args: Any, **kwargs: Any) -> None:
        super().__init__(map, *args, **kwargs)
        self.regex = "[^/\x00-\x1f\x7f]+"


def use_safe_converters(app: Flask) -> None:
    """Called before any route is added: every <int:...> and <...> of a route is then one."""
    app.url_map.converters.update(int=DatabaseId, default=PathText, string=PathText)
