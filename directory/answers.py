"""The "Will this count?" page and the data its answers are made from.

The build knows every organization, acceptance, counting rule and provider status; this
module gathers what an answer needs into :class:`calculator_pages.answer_page.AnswerData`,
writes it as JSON for the page's worker, and writes the page: its form (from the same
data), a worked example computed by the same page model for visitors without JavaScript,
and the wiring for the worker. Nothing here is MkDocs; the plugin adds the files.

Bodies are the directory's organizations and, after them, every body whose counting rule
the directory holds (``credit_systems.csv``, kind ``body-rule``) that no organization's
acceptance already names: a learner may report to a body the directory has no acceptance
for, and the honest answer for it ("no record; ask them") is still worth giving.
"""

from __future__ import annotations

import html
import json
from collections.abc import Iterator

import jinja2
from markupsafe import Markup

from calc.policy import CreditSystem
from calculator_pages import registry
from calculator_pages.answer_page import (
    BODY,
    CREDIT_TYPE,
    NAME,
    TIME,
    TITLE,
    Acceptance,
    AnswerData,
    Body,
    Provider,
    Source,
    compute,
    form_html,
    short_name,
)
from calculator_pages.worksheet import evidence_html, figures_html
from directory.profile_pages import STATUS_GUIDE, iacet_url
from directory.records import Entry
from directory.site_files import DIRECTORY_ROOT, GeneratedPage, profile_uri, relative_url
from directory.view import DirectoryView

#: The page, and the data its worker reads (a data file lands in Python's folder by its name).
ANSWER_PAGE = registry.ANSWER_PAGE
ANSWER_DATA = registry.ANSWER_DATA
SUGGEST_PAGE = f"{DIRECTORY_ROOT}/suggest.md"
#: The example a visitor without JavaScript sees: six hours of contact time.
EXAMPLE_TIME = "6 h"


def answer_data(view: DirectoryView) -> AnswerData:
    """What the answers need, with links relative to the answer page."""
    rules = view.rules
    organizations = [e for e in view.entries if e.table == "organizations"]
    bodies = [_organization_body(view, org) for org in organizations]
    named = {a.rule for body in bodies for a in body.acceptances if a.rule}
    taken = {body.id for body in bodies}
    for system in sorted(rules.values(), key=lambda s: (s.body.casefold(), s.id)):
        if system.kind != "body-rule" or system.id == CREDIT_TYPE or system.id in named:
            continue
        if system.id in taken:
            raise ValueError(f"credit system {system.id!r} has the id of an organization; rename one of them")
        bodies.append(_rule_body(system))
    providers = tuple(
        _provider(view, entry)
        for entry in view.entries
        if entry.table == "providers" and entry.id in view.statuses
    )
    return AnswerData(
        as_of=view.options.today.isoformat(),
        bodies=tuple(bodies),
        providers=providers,
        suggest=relative_url(ANSWER_PAGE, SUGGEST_PAGE),
        iacet_directory=view.options.iacet_directory_url,
        status_guide=relative_url(ANSWER_PAGE, STATUS_GUIDE),
    )


def _source(values: dict[str, str]) -> Source:
    return Source(
        url=values["source_url"],
        kind=values["source_kind"],
        date=values.get("source_date", ""),
        quote=values["source_quote"],
        verified_on=values["verified_on"],
    )


def _organization_body(view: DirectoryView, org: Entry) -> Body:
    acceptances = tuple(
        Acceptance(
            credit_type=a.values["credit_type"],
            credit=view.label("credit-type", a.values["credit_type"]),
            conditions=a.values["conditions"],
            rule=a.values.get("credit_system", "") if a.values.get("credit_system", "") in view.rules else "",
            source=_source(a.values),
        )
        for a in view.acceptances.get(org.id, [])
    )
    rules = tuple(dict.fromkeys(a.rule for a in acceptances if a.rule))
    credential = next((view.rules[r].credential for r in rules if view.rules[r].credential), "")
    return Body(
        id=org.id,
        name=org.name,
        short=short_name(org.name),
        profile=relative_url(ANSWER_PAGE, profile_uri(org)),
        website=org.values.get("website", ""),
        acceptances=acceptances,
        rules=rules,
        credential=credential,
    )


def _rule_body(system: CreditSystem) -> Body:
    """A body known by its counting rule alone; its rule's source page is the way to reach it."""
    return Body(
        id=system.id,
        name=system.body,
        short=short_name(system.body),
        profile="",
        website=system.source_url,
        acceptances=(),
        rules=(system.id,),
        credential=system.credential,
    )


def _provider(view: DirectoryView, entry: Entry) -> Provider:
    status = view.statuses[entry.id]
    return Provider(
        id=entry.id,
        name=entry.name,
        status=status.code,
        label=status.label,
        reason=status.rule,
        profile=relative_url(ANSWER_PAGE, profile_uri(entry)),
        iacet=iacet_url(entry, view.options),
    )


def example_values(data: AnswerData) -> dict[str, str] | None:
    """The worked example's form: the first body in the directory whose acceptance names a
    counting rule (else any body with an acceptance), for EXAMPLE_TIME; None without one."""
    with_rule = [b for b in data.bodies if (a := b.accepted()) and a.rule]
    accepted = with_rule or [b for b in data.bodies if b.accepted()]
    if not accepted:
        return None
    return {BODY: accepted[0].id, TIME: EXAMPLE_TIME}


def answer_files(view: DirectoryView, env: jinja2.Environment) -> Iterator[GeneratedPage]:
    """The page and its data file."""
    data = answer_data(view)
    systems = tuple(view.rules.values())
    values = example_values(data)
    example = compute(values, data, systems) if values else None
    if example is not None and not example.ok:  # the build's own example: a bug if it fails
        raise ValueError(f"the answer page's example does not compute: {example.errors[0].message}")
    body = env.get_template("answer.html").render(
        title=TITLE,
        form=Markup(form_html(data)),
        example=example,
        example_body=data.body(values[BODY]) if values else None,
        example_figures=Markup(figures_html(example)) if example else "",
        example_evidence=Markup(evidence_html(example)) if example else "",
        directory=relative_url(ANSWER_PAGE, f"{DIRECTORY_ROOT}/index.md"),
        suggest=data.suggest,
        status_guide=data.status_guide,
    )
    front = {
        "title": html.escape(TITLE, quote=False),  # Material prints titles unescaped
        "description": "Will a board or association count your IACET CEUs, is the provider in good "
        "standing, and how much is the course worth in their unit? The answer with its sources.",
        "calculator": NAME,  # its wiring is the registry's (calculator_pages.registry)
    }
    lines = [f"{key}: {json.dumps(value)}" for key, value in front.items()]
    yield GeneratedPage(ANSWER_PAGE, "---\n" + "\n".join(lines) + "\n---\n", body.strip() + "\n")
    yield GeneratedPage(
        ANSWER_DATA, json.dumps(data.to_json(), ensure_ascii=False, separators=(",", ":")) + "\n"
    )
