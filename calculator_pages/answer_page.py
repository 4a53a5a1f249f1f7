"""The "Will this count?" page: the body a learner reports to, the provider and the event's
length in; one sentence answering "will these credits count?" out, with its evidence.

The answer never claims more than the directory's sources say:

* **Yes** only when an acceptance row, with its source, says the body counts IACET CEUs;
  its conditions, source and quotation come with it, and a provider whose status is not
  "in good standing" is named as unconfirmed beside it;
* **No record** when the directory holds no such row: the body may still accept them, so
  the learner gets an e-mail to send the body, prefilled with the course's facts (no
  address: the directory holds none, and inventing one would be worse than none), and the
  link to suggest the entry once they have an answer;
* a provider's status is the directory's own (computed by the build from the row's
  sources and checks; the page does not re-judge it);
* figures are the engine's: IACET CEUs from contact time (``calc.ceu``), and the body's
  own unit under its published counting rule (``calc.policy``).

The data (:class:`AnswerData`) is written by the build (``directory.answers``) as JSON and
read here, in the browser's worker or in CPython alike; standard library only.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from html import escape
from typing import Any
from urllib.parse import quote

from calc.ceu import CeuResult, iacet_ceus
from calc.durations import as_decimal, duration_hint, duration_words, minutes_from_text
from calc.errors import CreditInputError
from calc.numbers import exact_text, show
from calc.policy import CreditSystem, PolicyFigure, figure_under, rule_words, source_words
from calculator_pages.outcome import Evidence, FieldError, FieldHint, Figure, Link, Outcome, Step, failed

NAME = "answer"
TITLE = "Will this count?"
#: The form's fields: the body reported to, the provider, the event's contact time.
BODY, PROVIDER, TIME = "body", "provider", "time"
#: The credit type every answer is about (the directory's vocabulary term).
CREDIT_TYPE = "iacet-ceu"
#: The longest provider name or time a visitor can type (the page's maxlength too).
MAX_TEXT = 200

# Verdicts the page styles its one sentence by.
YES = "yes"
CAUTION = "caution"
NO = "no"
NO_RECORD = "no-record"

GOOD_STANDING = "good-standing"
LAPSED = "lapsed"


# --------------------------------------------------------------------------- the data


@dataclass(frozen=True)
class Source:
    """Where a fact comes from: the page, what kind of page, its date, its words, when it was read."""

    url: str
    kind: str
    date: str
    quote: str
    verified_on: str

    def note(self) -> str:
        """ "The body's own page, dated 2016-07-14; read on 2026-11-28." in plain words."""
        kind = SOURCE_KINDS.get(self.kind, self.kind)
        dated = f"dated {self.date}" if self.date else "undated"
        return f"{kind}, {dated}; read on {self.verified_on}."


#: How each kind of source is described to a learner.
SOURCE_KINDS = {
    "official": "The organization's own page",
    "third-party": "Another organization's page",
    "archived-copy": "An archived copy of a page",
    "synthetic": "Generated test data",
}


@dataclass(frozen=True)
class Acceptance:
    """An acceptance row: the credit a body counts, on what conditions, under which rule."""

    credit_type: str
    credit: str
    conditions: str
    #: The credit-system id of the body's counting rule for it; '' when the row names none.
    rule: str
    source: Source


@dataclass(frozen=True)
class Body:
    """A body a learner reports to: an organization in the directory, or a body whose
    counting rule the directory holds without an acceptance row."""

    id: str
    name: str
    #: The name a sentence uses: the acronym in a name's closing parentheses, else the name.
    short: str
    #: The body's profile (from the answer page); '' for a body known only by its rule.
    profile: str
    website: str
    acceptances: tuple[Acceptance, ...]
    #: Credit-system ids of the body's counting rules, first the one answers use.
    rules: tuple[str, ...]
    #: The credential its rule is for ("SHRM-CP/SHRM-SCP"); '' when not stated.
    credential: str = ""

    @property
    def in_directory(self) -> bool:
        return bool(self.profile)

    def accepted(self) -> Acceptance | None:
        """The body's acceptance of IACET CEUs, if the directory holds one."""
        return next((a for a in self.acceptances if a.credit_type == CREDIT_TYPE), None)

    def label(self) -> str:
        """How the body is listed in the form: its name, and the credential where the rule is for one."""
        return f"{self.name}: {self.credential}" if self.credential and not self.in_directory else self.name


@dataclass(frozen=True)
class Provider:
    """A provider as the directory shows it: its status, the reason, and where to confirm it."""

    id: str
    name: str
    status: str
    label: str
    reason: str
    profile: str
    iacet: str


@dataclass(frozen=True)
class AnswerData:
    """Everything an answer is made from, as the build wrote it (links relative to the page)."""

    as_of: str
    bodies: tuple[Body, ...]
    providers: tuple[Provider, ...]
    suggest: str
    iacet_directory: str
    status_guide: str

    def body(self, body_id: str) -> Body | None:
        return next((body for body in self.bodies if body.id == body_id), None)

    def to_json(self) -> dict[str, Any]:
        """Plain data for the page's worker (tuples become lists)."""
        return asdict(self)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> AnswerData:
        """The data :meth:`to_json` wrote, with each nested record its own type again."""

        def acceptance(a: Mapping[str, Any]) -> Acceptance:
            return Acceptance(**{**a, "source": Source(**a["source"])})

        def body(b: Mapping[str, Any]) -> Body:
            return Body(
                **{**b, "rules": tuple(b["rules"]), "acceptances": tuple(map(acceptance, b["acceptances"]))}
            )

        return cls(
            **{
                **data,
                "bodies": tuple(map(body, data["bodies"])),
                "providers": tuple(Provider(**p) for p in data["providers"]),
            }
        )


_ACRONYM = re.compile(r"\(([^\s()]{2,12})\)\s*$")


def short_name(name: str) -> str:
    """ "Society for Human Resource Management (SHRM)" -> "SHRM"; a name without one stays whole."""
    found = _ACRONYM.search(name)
    return found.group(1) if found else name


# --------------------------------------------------------------------------- finding a provider


def _folded(text: str) -> str:
    """Text compared as a visitor means it: case, accents, punctuation and spacing ignored."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().replace("&", " and "))
    letters = "".join(ch if ch.isalnum() else " " for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(letters.split())


@dataclass(frozen=True)
class ProviderMatch:
    """What a typed provider name found: one provider, several, or none."""

    text: str
    found: Provider | None = None
    several: tuple[Provider, ...] = ()


def find_provider(text: str, providers: Sequence[Provider]) -> ProviderMatch:
    """The provider a visitor means by ``text``: its id, its name, the acronym its name ends
    with, or the only name that contains the words typed (in that order of preference)."""
    wanted = _folded(text)
    if not wanted:
        return ProviderMatch(text)
    for same in (
        lambda p: p.id == text.strip(),
        lambda p: _folded(p.name) == wanted,
        lambda p: _folded(short_name(p.name)) == wanted,
    ):
        exact = [p for p in providers if same(p)]
        if len(exact) == 1:
            return ProviderMatch(text, exact[0])
    within = [p for p in providers if f" {wanted} " in f" {_folded(p.name)} "]
    if len(within) == 1:
        return ProviderMatch(text, within[0])
    return ProviderMatch(text, None, tuple(within))


# --------------------------------------------------------------------------- the answer


@dataclass(frozen=True)
class Timing:
    """The event's contact time as the engine counts it, and under the body's rule."""

    words: str
    ceu: CeuResult
    figure: PolicyFigure | None
    #: The figure under the rule's multiplier, when the rule has one (its condition stated).
    multiplied: PolicyFigure | None = None


def inputs_of(values: Mapping[str, str], data: AnswerData) -> tuple[tuple[str, str], ...]:
    body = data.body(values.get(BODY, "").strip())
    return (
        ("Reported to", body.name if body else "not chosen"),
        ("Provider", values.get(PROVIDER, "").strip()[:MAX_TEXT] or "not given"),
        ("Event length", values.get(TIME, "").strip()[:MAX_TEXT] or "not given"),
    )


def compute(values: Mapping[str, str], data: AnswerData, systems: Sequence[CreditSystem]) -> Outcome:
    """The answer for the form's values (``body`` an id from the data, ``provider`` a name or
    id, ``time`` contact time as people write it)."""
    inputs = inputs_of(values, data)
    body_id = values.get(BODY, "").strip()
    provider_text = values.get(PROVIDER, "").strip()
    time_text = values.get(TIME, "").strip()
    body = data.body(body_id) if body_id else None
    if body_id and body is None:
        return failed(TITLE, inputs, BODY, "choose one of the listed bodies")
    if len(provider_text) > MAX_TEXT:
        return failed(TITLE, inputs, PROVIDER, f"a provider's name is at most {MAX_TEXT} characters")
    match = find_provider(provider_text, data.providers)
    if match.several:
        names = "; ".join(p.name for p in match.several[:3])
        more = f" and {len(match.several) - 3} more" if len(match.several) > 3 else ""
        return failed(
            TITLE, inputs, PROVIDER, f"several providers match: {names}{more}. Type more of the name"
        )
    if body is None and not provider_text:
        message = "choose the body you report to, or type a provider's name"
        return Outcome(
            TITLE,
            inputs,
            summary=message[:1].upper() + message[1:] + ".",
            errors=(FieldError(BODY, message),),
        )
    try:
        timing = _timing(time_text, body, systems) if time_text else None
    except CreditInputError as error:
        return failed(TITLE, inputs, TIME, error.message)
    verdict, sentence = _verdict(body, match, timing, data.as_of)
    hint = duration_hint(time_text) if time_text else ""
    return Outcome(
        title=TITLE,
        inputs=inputs,
        figures=_figures(body, timing),
        steps=_steps(timing),
        summary=sentence,
        hints=(FieldHint(TIME, hint),) if hint else (),
        evidence=tuple(_evidence(body, match, timing, data, systems)),
        verdict=verdict,
    )


def _rule_of(body: Body | None, systems: Sequence[CreditSystem]) -> CreditSystem | None:
    """The body's counting rule for IACET CEUs: its acceptance's, else its own first rule."""
    if body is None:
        return None
    by_id = {system.id: system for system in systems}
    accepted = body.accepted()
    wanted = accepted.rule if accepted and accepted.rule else (body.rules[0] if body.rules else "")
    return by_id.get(wanted)


def _timing(text: str, body: Body | None, systems: Sequence[CreditSystem]) -> Timing:
    minutes = minutes_from_text(text, TIME)
    contact = as_decimal(minutes)
    ceu = iacet_ceus(contact)
    rule = _rule_of(body, systems)
    figure = figure_under(rule, ceu.contact_minutes) if rule and rule.id != CREDIT_TYPE else None
    multiplied = (
        figure_under(rule, ceu.contact_minutes, condition_met=True)
        if rule and rule.multiplier is not None and figure is not None
        else None
    )
    return Timing(duration_words(minutes), ceu, figure, multiplied)


def _ceu_words(timing: Timing) -> str:
    if timing.ceu.earns_ceu:
        return f"{timing.words} = {show(timing.ceu.ceus)} IACET CEU"
    return f"{timing.words} earns no IACET CEU (an event needs at least 30 minutes of contact time)"


def _figure_words(figure: PolicyFigure) -> str:
    if figure.reported is not None and figure.earns:
        return f"{exact_text(figure.reported)} {figure.policy.unit}"
    return figure.shown


def _verdict(body: Body | None, match: ProviderMatch, timing: Timing | None, as_of: str) -> tuple[str, str]:
    """The one-sentence answer and its kind, from what the directory holds."""
    provider = match.found
    if body is None:
        return _provider_verdict(match, as_of)
    accepted = body.accepted()
    if accepted is None:
        sentence = (
            f"No record: the directory holds no source saying {body.short} accepts IACET CEUs. "
            f"Ask {body.short} before you enrol; the e-mail below has the course's facts."
        )
        if timing and timing.figure:
            sentence += f" Under {body.short}'s own rule, {timing.words} = {_figure_words(timing.figure)}."
        elif timing:
            sentence += f" {_ceu_words(timing)}."
        return NO_RECORD, sentence + _provider_clause(match)
    if provider is not None and provider.status == LAPSED:
        name = short_name(provider.name)
        return NO, (
            f"Not from {name}: {body.short} counts IACET CEUs, but a dated source says "
            f"{name}'s IACET accreditation has lapsed."
        )
    toward = f" toward {body.credential}" if body.credential else ""
    sentence = f"Yes: {body.short} counts IACET CEUs{toward}, on the conditions below."
    if timing:
        sentence = f"Yes: {body.short} counts IACET CEUs{toward}. {_ceu_words(timing)}"
        if timing.figure and timing.ceu.earns_ceu:
            sentence += f" = {_figure_words(timing.figure)} under {body.short}'s rule"
        sentence += "."
    confirmed = (provider is None and not match.text) or (
        provider is not None and provider.status == GOOD_STANDING
    )
    return (YES if confirmed else CAUTION), sentence + _provider_clause(match)


def _provider_clause(match: ProviderMatch) -> str:
    provider = match.found
    if not match.text:
        return ""
    if provider is None:
        return f" {match.text} is not in the directory: check IACET's own directory."
    name = short_name(provider.name)
    if provider.status == GOOD_STANDING:
        return f" {name} is in good standing."
    if provider.status == LAPSED:
        return f" A dated source says {name}'s accreditation has lapsed."
    return f" The directory cannot confirm that {name} is accredited now ({provider.label.lower()})."


def _provider_verdict(match: ProviderMatch, as_of: str) -> tuple[str, str]:
    """Is this provider accredited? The status in one sentence; its reason is in the evidence."""
    provider = match.found
    if provider is None:
        return CAUTION, (
            f"{match.text} is not in the directory. Not listed does not mean not accredited: "
            "check IACET's own directory."
        )
    name = short_name(provider.name)
    if provider.status == GOOD_STANDING:
        return YES, f"Yes: {name} is an IACET accredited provider in good standing as of {as_of}."
    if provider.status == LAPSED:
        return NO, f"No: a dated source says {name}'s IACET accreditation has lapsed."
    return CAUTION, (
        f"Not confirmed: the directory cannot show that {name}'s IACET accreditation is current "
        f"({provider.label} as of {as_of}). Confirm with IACET's own directory."
    )


def _figures(body: Body | None, timing: Timing | None) -> tuple[Figure, ...]:
    if timing is None:
        return ()
    figures = [
        Figure("hours", "Contact hours", show(timing.ceu.contact_hours), "h"),
        Figure("ceus", "IACET CEU", show(timing.ceu.ceus) if timing.ceu.earns_ceu else "0"),
    ]
    if body is not None and timing.figure is not None:
        value = (
            exact_text(timing.figure.reported) if timing.figure.reported is not None else timing.figure.shown
        )
        unit = timing.figure.policy.unit if timing.figure.reported is not None else ""
        figures.append(Figure("units", f"Under {body.short}'s rule", value, unit))
    return tuple(figures)


def _steps(timing: Timing | None) -> tuple[Step, ...]:
    if timing is None:
        return ()
    steps = [Step(timing.ceu.note, "1 IACET CEU = 10 contact hours, rounded once to a tenth", "IACET")]
    if timing.figure is not None:
        policy = timing.figure.policy
        steps.append(
            Step(
                timing.figure.explanation, timing.figure.rule, f"{policy.source_url} ({source_words(policy)})"
            )
        )
    return tuple(steps)


# --------------------------------------------------------------------------- evidence


def _evidence(
    body: Body | None,
    match: ProviderMatch,
    timing: Timing | None,
    data: AnswerData,
    systems: Sequence[CreditSystem],
) -> Iterable[Evidence]:
    if body is not None:
        accepted = body.accepted()
        yield _acceptance_evidence(body, accepted) if accepted else _ask_evidence(body, match, timing, data)
    if match.text:
        yield _provider_evidence(match, data)
    rule = _rule_of(body, systems)
    if body is not None and rule is not None and rule.id != CREDIT_TYPE:
        yield _rule_evidence(body, rule, timing)


def _acceptance_evidence(body: Body, accepted: Acceptance) -> Evidence:
    links = (Link(f"{body.short} in the directory", body.profile),) if body.profile else ()
    return Evidence(
        "acceptance",
        f"What {body.short} accepts",
        (accepted.conditions,),
        quote=accepted.source.quote,
        source=Link(accepted.source.url, accepted.source.url),
        source_note=accepted.source.note(),
        links=links,
    )


def ask_email(body: Body, provider: str, timing: Timing | None) -> str:
    """A ``mailto:`` with no address (the directory holds none) and the course's facts, for the
    learner to send to the body's contact."""
    credential = body.credential or "my certification"
    course = f"a course from {provider}" if provider else "a course from an IACET accredited provider"
    length = ""
    if timing is not None:
        length = f" of {timing.words}"
        if timing.ceu.earns_ceu:
            length += f" ({show(timing.ceu.ceus)} IACET CEU)"
    text = (
        "Hello,\n\n"
        f"I plan to take {course}{length}, awarded in IACET Continuing Education Units (CEUs).\n\n"
        f"Do you accept IACET CEUs toward {credential}? If you do, how much of my requirement does "
        "it count for, on what conditions, and what proof should I keep?\n\n"
        "Thank you."
    )
    subject = f"Do you accept IACET CEUs toward {credential}?"
    return f"mailto:?subject={quote(subject)}&body={quote(text)}"


def _ask_evidence(body: Body, match: ProviderMatch, timing: Timing | None, data: AnswerData) -> Evidence:
    provider = match.found.name if match.found else match.text
    links = [
        Link(
            f"Write to {body.short}: an e-mail with the course's facts, for you to address",
            ask_email(body, provider, timing),
        )
    ]
    if body.website:
        links.append(Link(f"{body.short}'s site, for its contact details", body.website))
    if body.profile:
        links.append(Link(f"{body.short} in the directory", body.profile))
    links.append(Link("Found the answer? Suggest it for the directory", data.suggest))
    return Evidence(
        "no-record",
        f"No source yet for {body.short}",
        (
            f"The directory lists an acceptance only when a published source says so, and none it holds "
            f"says that {body.name} accepts IACET CEUs. That is not a no: many bodies accept them "
            "without saying so on a page the directory has read.",
            "Ask before you enrol, and keep the answer in writing.",
        ),
        links=tuple(links),
    )


def _provider_evidence(match: ProviderMatch, data: AnswerData) -> Evidence:
    provider = match.found
    if provider is None:
        return Evidence(
            "provider",
            "The provider",
            (
                f"No provider in the directory matches {match.text!r}. The directory lists only providers a source shows to be accredited; IACET's own directory lists every accredited provider.",
            ),
            links=(Link("IACET's directory of accredited providers", data.iacet_directory),),
        )
    links = [Link(f"{provider.name} in the directory", provider.profile)]
    if provider.iacet:
        links.append(Link("Confirm with IACET's own directory", provider.iacet))
    links.append(Link(f"What \u201c{provider.label}\u201d means", f"{data.status_guide}#{provider.status}"))
    return Evidence(
        "provider",
        f"{provider.name}: {provider.label}",
        (f"Status as of {data.as_of}: {provider.label}.", provider.reason),
        links=tuple(links),
    )


def _rule_evidence(body: Body, rule: CreditSystem, timing: Timing | None) -> Evidence:
    sentences = [f"{body.short}'s rule: {rule_words(rule)}"]
    if timing is not None and timing.figure is not None:
        sentences.append(f"{timing.words}: {timing.figure.explanation}.")
        if timing.multiplied is not None:
            sentences.append(f"When {rule.multiplier_condition}: {_figure_words(timing.multiplied)}.")
    return Evidence(
        "rule",
        f"How {body.short} counts the time",
        tuple(sentences),
        quote=rule.source_quote,
        source=Link(rule.source_url, rule.source_url),
        source_note=Source(rule.source_url, rule.source_kind, rule.source_date, "", rule.verified_on).note(),
    )


# --------------------------------------------------------------------------- the form


def form_html(data: AnswerData, prefix: str = NAME) -> str:
    """The form's controls, from the data: every body (the directory's first), every provider
    as a suggestion, the event's length. Names and ids follow the calculator pages'
    conventions (``<prefix>-<field>``, ``<prefix>-error-<field>``)."""
    listed = sorted((b for b in data.bodies if b.in_directory), key=lambda b: b.name.casefold())
    ruled = sorted((b for b in data.bodies if not b.in_directory), key=lambda b: b.label().casefold())
    groups = "".join(
        f'<optgroup label="{escape(label)}">'
        + "".join(f'<option value="{escape(b.id)}">{escape(b.label())}</option>' for b in bodies)
        + "</optgroup>"
        for label, bodies in (
            ("In the directory", listed),
            ("Not in the directory yet: their counting rule only", ruled),
        )
        if bodies
    )
    names = "".join(
        f'<option value="{escape(p.name)}"></option>'
        for p in sorted(data.providers, key=lambda p: p.name.casefold())
    )
    p = escape(prefix)
    return (
        f'<div class="calc-field calc-field--wide"><label for="{p}-body">Who do you report your credits to?</label>'
        f'<select id="{p}-body" name="{BODY}" aria-describedby="{p}-error-body">'
        '<option value="">Choose a board, association or certification body</option>'
        f"{groups}</select>"
        f'<p class="calc-error" id="{p}-error-body" hidden></p></div>'
        f'<div class="calc-field calc-field--wide"><label for="{p}-provider">Provider (optional)</label>'
        f'<input id="{p}-provider" name="{PROVIDER}" type="text" list="{p}-providers" maxlength="{MAX_TEXT}" '
        f'autocomplete="off" spellcheck="false" aria-describedby="{p}-error-provider">'
        f'<datalist id="{p}-providers">{names}</datalist>'
        f'<p class="calc-error" id="{p}-error-provider" hidden></p></div>'
        f'<div class="calc-field"><label for="{p}-time">Event length (optional)</label>'
        f'<input id="{p}-time" name="{TIME}" type="text" maxlength="{MAX_TEXT}" autocomplete="off" '
        f'spellcheck="false" aria-describedby="{p}-time-hint {p}-error-time">'
        f'<p id="{p}-time-hint" class="calc-hint">Without breaks: 6 h, 6h30, 6:30 or 90 min (a bare number is minutes).</p>'
        f'<p class="calc-note" id="{p}-hint-time" hidden></p>'
        f'<p class="calc-error" id="{p}-error-time" hidden></p></div>'
    )
