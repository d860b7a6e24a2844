"""Long lists a page at a time, with GOV.UK's pagination component under them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from flask import request
from werkzeug.datastructures import MultiDict


@dataclass(frozen=True)
class Page:
    """Page ``number`` (from 1) of ``total`` rows, ``size`` rows a page, chosen by the
    ``arg`` query parameter."""

    number: int
    size: int
    total: int
    arg: str = "page"

    @classmethod
    def from_request(cls, total: int, size: int, arg: str = "page") -> Page:
        """The page asked for; a page that is not a number, or past the end, is the nearest."""
        asked = request.args.get(arg, "1")
        number = int(asked) if asked.isdigit() else 1
        number = min(max(number, 1), cls._pages(total, size))
        return cls(number=number, size=size, total=total, arg=arg)

    @staticmethod
    def _pages(total: int, size: int) -> int:
        return max(1, -(-total // size))

    @property
    def pages(self) -> int:
        return self._pages(self.total, self.size)

    @property
    def offset(self) -> int:
        return (self.number - 1) * self.size

    @property
    def end(self) -> int:
        """One past the last row on this page."""
        return min(self.offset + self.size, self.total)

    def url(self, number: int) -> str:
        """This page's address with only the page number changed. Built from the query string
        as asked, not through url_for, which would read parameters such as _method,
        _external or a route's own argument as its own instructions."""
        args = MultiDict(request.args)
        args.setlist(self.arg, [str(number)])
        return f"{request.script_root}{request.path}?{urlencode(list(args.items(multi=True)))}"

    def params(self, label: str) -> dict[str, Any] | None:
        """Parameters for govukPagination, or None when everything fits on one page."""
        if self.pages == 1:
            return None
        shown = {1, self.pages, self.number - 1, self.number, self.number + 1}
        items: list[dict[str, Any]] = []
        for number in sorted(n for n in shown if 1 <= n <= self.pages):
            if items and number > items[-1]["number"] + 1:
                items.append({"ellipsis": True, "number": 0})
            items.append(
                {"number": number, "href": self.url(number), "current": number == self.number}
            )
        params: dict[str, Any] = {"items": items, "landmarkLabel": label}
        if self.number > 1:
            params["previous"] = {"href": self.url(self.number - 1)}
        if self.number < self.pages:
            params["next"] = {"href": self.url(self.number + 1)}
        return params
