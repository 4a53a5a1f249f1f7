"""One paginator for every paginated directory page (directory/pagination.py): its invariants,
whatever the list and the page size."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from directory.pagination import paginate
from directory.site_files import listing_uri

SECTIONS = st.sampled_from(["", "matrix", "country/us", "credit-type/iacet-ceu"])


@given(st.lists(st.integers(), max_size=300), st.integers(min_value=1, max_value=40), SECTIONS)
def test_every_item_is_on_exactly_one_page_in_order(items, per_page, section):
    pages = paginate(items, per_page, section)
    assert [item for page in pages for item in page.items] == items
    assert [page.number for page in pages] == list(range(1, len(pages) + 1))
    assert len(pages) == max(1, math.ceil(len(items) / per_page))
    assert all(page.count == len(pages) and page.total == len(items) for page in pages)


@given(st.lists(st.integers(), max_size=300), st.integers(min_value=1, max_value=40))
def test_no_page_is_empty_but_the_single_page_of_an_empty_list(items, per_page):
    pages = paginate(items, per_page)
    if items:
        assert all(1 <= len(page.items) <= per_page for page in pages)
        assert all(len(page.items) == per_page for page in pages[:-1])
    else:
        assert [(page.number, list(page.items)) for page in pages] == [(1, [])]


@given(st.lists(st.integers(), max_size=300), st.integers(min_value=1, max_value=40), SECTIONS)
def test_each_page_says_where_its_items_are_and_where_it_is(items, per_page, section):
    for page in paginate(items, per_page, section):
        assert items[page.first - 1 : page.last] == list(page.items)
        assert page.uri == listing_uri(page.number, section)
        numbered = [link for link in page.links() if not link["gap"]]
        assert [link["number"] for link in numbered if link["current"]] == [page.number]
        assert numbered[0]["number"] == 1 and numbered[-1]["number"] == page.count
        assert [link["number"] for link in numbered] == sorted({link["number"] for link in numbered})


@pytest.mark.parametrize(
    ("number", "count", "shown"),
    [(1, 1, "Directory"), (1, 3, "Directory"), (2, 3, "Directory, page 2 of 3")],
)
def test_a_page_after_the_first_names_its_number_in_its_title(number, count, shown):
    page = paginate(list(range(count)), 1)[number - 1]
    assert page.title("Directory") == shown


@pytest.mark.parametrize("per_page", [0, -1])
def test_a_page_size_below_one_is_refused(per_page):
    with pytest.raises(ValueError, match="at least 1"):
        paginate([1, 2, 3], per_page)
