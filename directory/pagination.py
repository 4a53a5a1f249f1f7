"""One paginator for every paginated directory page: the listings, the credit types and the matrix.

Pure: a list of items and a page size in, pages out. Each page knows its number, the page
count, its items and where they start, its source path and the links a reader follows to
other pages (the first, the last and a window around the current one, so the links stay
few at any size).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from directory.site_files import listing_uri, relative_url

T = TypeVar("T")

#: Page links shown either side of the current page.
PAGE_WINDOW = 3


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a paginated listing."""

    #: From 1.
    number: int
    count: int
    items: Sequence[T]
    #: How many items come before this page's first.
    start: int
    #: Items on every page together.
    total: int
    #: The listing's section (``""`` for the directory home, ``country/us``, ``matrix``).
    section: str

    @property
    def uri(self) -> str:
        """This page's source path."""
        return listing_uri(self.number, self.section)

    @property
    def first(self) -> int:
        """The position of the page's first item, from 1."""
        return self.start + 1

    @property
    def last(self) -> int:
        """The position of the page's last item (``first - 1`` on an empty page)."""
        return self.start + len(self.items)

    def title(self, title: str) -> str:
        """The page's title: the listing's on page 1, with "page N of M" after it."""
        return title if self.number == 1 else f"{title}, page {self.number} of {self.count}"

    def links(self) -> list[dict[str, Any]]:
        """Links to the first, last and nearby pages (page_links)."""
        return page_links(self.uri, self.section, self.number, self.count)


def paginate(items: Sequence[T], per_page: int, section: str = "") -> list[Page[T]]:
    """``items`` in pages of ``per_page``, in order; an empty list is one empty page (the
    listing still has its page, saying it holds nothing)."""
    if per_page < 1:
        raise ValueError(f"entries per page must be at least 1, not {per_page}")
    count = max(1, math.ceil(len(items) / per_page))
    return [
        Page(
            number,
            count,
            items[(number - 1) * per_page : number * per_page],
            (number - 1) * per_page,
            len(items),
            section,
        )
        for number in range(1, count + 1)
    ]


def page_links(uri: str, section: str, number: int, page_count: int) -> list[dict[str, Any]]:
    """Links to the first, last and nearby pages, with gaps between (bounded at any size)."""
    wanted = {1, page_count, *range(number - PAGE_WINDOW, number + PAGE_WINDOW + 1)}
    links: list[dict[str, Any]] = []
    previous = 0
    for n in sorted(p for p in wanted if 1 <= p <= page_count):
        if n > previous + 1:
            links.append({"gap": True})
        links.append(
            {
                "gap": False,
                "number": n,
                "url": relative_url(uri, listing_uri(n, section)),
                "current": n == number,
            }
        )
        previous = n
    return links
