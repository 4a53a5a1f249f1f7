"""A profile's evidence as a visitor sees it: its history from git and its last source checks.

ONE site is built for the module from a repository the test makes (three dated commits) with a
checks.csv as `ceu directory check-sources` writes it: a provider whose IACET record lists it and
whose source still says what is quoted (and a second page, in sources.csv, that says it too),
and one whose source is gone. Nothing here is fetched from the internet: the build only reads
checks.csv.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from playwright.sync_api import Browser, Page

from directory.build_date import build_date
from directory.schema import load_schema
from tests.browser.browser_support import DESKTOP, PHONE, run_axe, serve, watched_context
from tests.build.conftest import build_site_over, synthetic_row, write_dataset
from tests.conftest import REPO_ROOT
from tests.git_repository import Repository

pytestmark = pytest.mark.browser

SCHEMA = load_schema(REPO_ROOT / "directory_data")
REPOSITORY = "https://github.com/openceu/openceu"
RECORD = (
    "https://www.iacet.org/affiliates/accredited-providers-list/accredited-provider-overview/?providerID=4242"
)
#: The first provider's additional source (sources.csv).
ALSO = "https://example.org/also-stated/1"


@dataclass(frozen=True)
class Evidence:
    url: str
    checked_on: str
    shas: dict[str, str]


@pytest.fixture(scope="module")
def evidence(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Evidence]:
    root = tmp_path_factory.mktemp("evidence")
    repo = Repository(root / "repo", SCHEMA)
    write_dataset(repo.data)
    official = {"source_kind": "official", "source_date": "", "iacet_provider_number": "4242"}
    kept, gone = synthetic_row("providers", 1, **official), synthetic_row("providers", 2)
    shas = {"add": "", "city": "", "checked": ""}
    repo.write([kept, gone])
    shas["add"] = repo.commit("add two providers")
    repo.write([{**kept, "city": "Austin"}, gone])
    shas["city"] = repo.commit("the first provider's city")
    checked_on = (build_date() - dt.timedelta(days=3)).isoformat()
    rows = [
        f"providers,{kept['id']},iacet-record,{checked_on},{RECORD},200,,name-listed,",
        *sorted(  # one line per address, sorted by it as check-sources writes them
            f"providers,{kept['id']},source,{checked_on},{url},200,,quote-present,"
            for url in (kept["source_url"], ALSO)
        ),
        f"providers,{gone['id']},source,{checked_on},{gone['source_url']},404,,unreachable,HTTP 404 Not Found",
    ]
    header = "table,id,check,checked_on,url,http_status,final_url,outcome,detail"
    (repo.data / "checks.csv").write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    also = {"table": "providers", "id": kept["id"], "source_url": ALSO, "source_kind": "official",
            "source_date": "2026-02", "source_quote": "Also accredited, in other words.",
            "verified_on": "2026-03-03", "notes": "A second page of the provider's."}  # fmt: skip
    repo.write([also], "sources")
    shas["checked"] = repo.commit("source check")
    site = build_site_over(repo.data, root / "site")
    with serve(site) as url:
        yield Evidence(url, checked_on, shas)


@pytest.fixture(scope="module")
def page(browser: Browser, evidence: Evidence) -> Iterator[Page]:
    context, watch = watched_context(browser, evidence.url, **DESKTOP)
    shared = context.new_page()
    yield shared
    watch.assert_clean("the profiles with evidence")
    context.close()


def profile(n: int) -> str:
    return f"/directory/providers/synthetic-provider-{n:05}/"


def test_a_profile_lists_its_changes_newest_first_each_linking_its_commit(
    page: Page, evidence: Evidence
) -> None:
    page.goto(evidence.url + profile(1))
    items = page.locator(".directory-history-list > li")
    assert items.count() == 2
    newest, oldest = items.nth(0), items.nth(1)
    assert "2026-03-02" in newest.inner_text() and "City" in newest.inner_text()
    assert "Austin" in newest.inner_text()
    assert "2026-03-01" in oldest.inner_text() and "added" in oldest.inner_text().casefold()
    commits = [items.nth(i).locator("a[href*='/commit/']").get_attribute("href") for i in range(2)]
    assert commits == [
        f"{REPOSITORY}/commit/{evidence.shas['city']}",
        f"{REPOSITORY}/commit/{evidence.shas['add']}",
    ]


def test_a_profile_says_when_its_source_and_iacets_record_were_last_checked(
    page: Page, evidence: Evidence
) -> None:
    page.goto(evidence.url + profile(1))
    checks = page.locator(".directory-check").all_inner_texts()
    assert f"Source last checked {evidence.checked_on}: quote still present." in checks[0]
    assert f"Listed in IACET's directory on {evidence.checked_on}" in checks[1]
    status = page.locator("[data-status]").first
    assert status.get_attribute("data-status") == "good-standing"
    assert f"In good standing as of {evidence.checked_on}" in page.inner_text("main")
    assert page.locator(".directory-check a", has_text="IACET's record").get_attribute("href") == RECORD


def test_a_second_source_is_shown_under_the_first_with_its_own_check(page: Page, evidence: Evidence) -> None:
    page.goto(evidence.url + profile(1))
    also = page.locator(".directory-source .directory-also-source")
    assert also.count() == 1
    text = " ".join(also.inner_text().split())
    assert text.startswith(
        f"Also stated by {ALSO} (official, dated 2026-02) Also accredited, in other words."
    )
    assert "A second page of the provider's." in text
    assert text.endswith(f"Source last checked {evidence.checked_on}: quote still present.")
    assert also.locator("a").get_attribute("href") == ALSO
    assert (
        page.locator(".directory-source blockquote").count() == 2
    )  # the row's own words, then the second page's


def test_a_source_gone_reads_needs_review_and_is_marked(page: Page, evidence: Evidence) -> None:
    page.goto(evidence.url + profile(2))
    alert = page.locator(".directory-check-alert")
    assert alert.count() == 1
    assert (
        f"Source changed or gone on {evidence.checked_on} (HTTP 404 Not Found): needs review."
        in alert.inner_text()
    )
    assert page.locator("[data-status]").first.get_attribute("data-status") == "needs-review"


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_profiles_with_evidence_pass_axe(
    browser: Browser, evidence: Evidence, viewport: dict[str, object]
) -> None:
    context, watch = watched_context(browser, evidence.url, **viewport)
    try:
        shown = context.new_page()
        for n in (1, 2):
            shown.goto(evidence.url + profile(n))
            assert run_axe(shown) == [], profile(n)
        watch.assert_clean("axe on the profiles with evidence")
    finally:
        context.close()
