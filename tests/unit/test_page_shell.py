"""Pages filled into a shell the theme rendered once read as the theme would have written them
(the comparison with real builds is tests/build/test_directory_snapshot.py)."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from site_build.page_shell import (
    SLUG,
    TITLE,
    TITLE_MARK,
    PageShell,
    ShellError,
    compact,
    sitemap_with,
    write_pages,
)

BODY = "<!-- body -->"
#: A theme page as this site's theme writes one: its title as text in <title>, as given in the
#: header, its address in the canonical link, relative paths to the assets.
THEME_PAGE = f"""<!doctype html>
<html>
  <head>
    <link rel="canonical" href="https://example.org/directory/providers/{SLUG}/">
    <title>{TITLE_MARK} - OpenCEU</title>
    <script>var x = "  two  spaces  ";   // a comment
    </script>
  </head>
  <body>
    <span class="md-ellipsis">
        {TITLE}
    </span>
    <article>{BODY}</article>
  </body>
</html>
"""


def shell() -> PageShell:
    return PageShell.of(THEME_PAGE, BODY)


def test_a_page_gets_its_title_address_and_body_where_the_shell_had_its_marks() -> None:
    page = shell().fill(title="Texas A&amp;M &lt;Engineering&gt;", slug="teex", body="<h1>TEEX</h1>")
    assert '<link rel="canonical" href="https://example.org/directory/providers/teex/">' in page
    # <title> gets the text, escaped again; the header the title as given (already escaped).
    assert "<title>Texas A&amp;M &lt;Engineering&gt; - OpenCEU</title>" in page
    assert re.search(r'<span class="md-ellipsis">\s*Texas A&amp;M &lt;Engineering&gt;\s*</span>', page)
    assert "<article><h1>TEEX</h1></article>" in page
    assert SLUG not in page and TITLE_MARK not in page


def test_a_title_with_markup_shows_its_text_in_the_title_element() -> None:
    page = shell().fill(title="<b>Bold</b> &amp; Co", slug="x", body="")
    assert "<title>Bold &amp; Co - OpenCEU</title>" in page


@pytest.mark.parametrize(
    ("page", "why"),
    [
        (THEME_PAGE.replace(BODY, ""), "body mark 0 times"),
        (THEME_PAGE.replace(BODY, BODY * 2), "body mark 2 times"),
        # A theme that made the title an id, or printed it escaped, cannot be filled.
        (THEME_PAGE.replace("<article>", '<article id="openceu-shell-title">'), "cannot fill"),
        (THEME_PAGE.replace(f"{TITLE}\n", "&lt;b&gt;OPENCEU-SHELL-TITLE&lt;/b&gt;\n"), "cannot fill"),
    ],
)
def test_a_theme_page_the_shell_cannot_fill_is_refused(page: str, why: str) -> None:
    with pytest.raises(ShellError, match=why):
        PageShell.of(page, BODY)


def test_blank_space_is_made_one_character_except_in_scripts() -> None:
    text = shell().fill(title="T", slug="t", body="")
    assert 'var x = "  two  spaces  ";   // a comment\n    </script>' in text
    assert "<html>\n<head>" in text


@given(st.lists(st.sampled_from(["a", "b", " ", "\n", "\t", "<p>", "</p>", "<pre>", "</pre>"]), max_size=40))
def test_compacting_keeps_every_word_and_tag(pieces: list[str]) -> None:
    page = "".join(pieces)
    assert compact(page).split() == page.split()


def test_pages_are_written_where_the_shell_was_each_with_its_slug(tmp_path) -> None:
    written = write_pages(
        shell(),
        tmp_path,
        f"directory/providers/{SLUG}/index.html",
        [("a", "A", lambda: "<p>a</p>"), ("b", "B \ud800", lambda: "<p>b</p>")],
    )
    assert written == ["a", "b"]
    assert "<p>a</p>" in (tmp_path / "directory/providers/a/index.html").read_text(encoding="utf-8")
    # A lone surrogate is written as the theme writes one: a character reference.
    assert "B &#55296;" in (tmp_path / "directory/providers/b/index.html").read_text(encoding="utf-8")


SITEMAP = f"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
    <url>
         <loc>https://example.org/</loc>
         <lastmod>2026-12-07</lastmod>
    </url>
    <url>
         <loc>https://example.org/directory/providers/{SLUG}/</loc>
         <lastmod>2026-12-07</lastmod>
    </url>
</urlset>"""


def test_the_sitemap_lists_each_page_written_from_a_shell_instead_of_the_shell() -> None:
    text = sitemap_with(SITEMAP, {f"directory/providers/{SLUG}/": ["a", "b"]})
    assert re.findall(r"<loc>(.*?)</loc>", text) == [
        "https://example.org/",
        "https://example.org/directory/providers/a/",
        "https://example.org/directory/providers/b/",
    ]
    assert text.count("<lastmod>2026-12-07</lastmod>") == 3


def test_a_sitemap_without_the_shell_is_refused() -> None:
    with pytest.raises(ShellError, match="no entry"):
        sitemap_with(SITEMAP, {f"directory/organizations/{SLUG}/": ["a"]})
