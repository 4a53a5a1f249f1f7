"""Every calculator page, declared once: its name, the page it lives on, its page script, the
data files its worker reads and how its worker answers (the page model's compute in a session).

The build wires each page from its record (front matter ``calculator: <name>``, see
:mod:`site_build.calculator_wiring`), the guides' "open in the calculator" links find the page by
name here, and the one worker entry module (``site_src/assets/calculators/worker.py``) starts the
session the record names. Standard library and ``calc`` only: this module runs in the worker too.
A page model is imported only when its session starts, so a page's worker imports its own model
and not every calculator's.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from calculator_pages import forms
from calculator_pages.forms import Part
from calculator_pages.page_session import Handler, WorkerIO

#: A data file's text, by its file name (the worker writes each into Python's working folder).
Files = Mapping[str, str]
#: Where the calculators' data files are in the site.
DATA_DIR = "assets/py/data"
CREDIT_SYSTEMS = f"{DATA_DIR}/credit_systems.csv"
#: The recertification requirements and the activity kinds (the tracker counts with them).
REQUIREMENTS = f"{DATA_DIR}/requirements.csv"
VOCABULARIES = f"{DATA_DIR}/vocabularies.csv"
#: The will-it-count page and its data: the directory's bodies and providers (both written by
#: the build, directory.answers).
ANSWER_PAGE = "will-it-count.md"
ANSWER_DATA = "directory/answers.json"
#: The verify page and its data: the directory's signing keys (written by the build, directory.issuers).
VERIFY_PAGE = "verify.md"
ISSUERS_DATA = "directory/issuers.json"
#: The credential kit (issue 33: site_build/credential_kit.py bundles it): signs and checks
#: proofs, reads verification links (the certificates, verify and tracker pages).
CREDENTIAL_KIT = "assets/credentials/credential-kit.js"
#: The page script most calculators run (the form wiring of calculator.js).
CALCULATOR_SCRIPT = "assets/calculators/calculator-page.js"


@dataclass(frozen=True)
class Calculator:
    """One calculator page.

    ``page`` is its source (a docs path); ``script`` the module the page runs; ``files`` the
    data files (site paths) its worker reads before the first message; ``session`` makes its
    worker's answerer from those files' text (by file name) and the browser's IO; ``fields``
    the fields of its form that the build writes (``embed: calculator-fields``), which are also
    the header lines its guides' worked examples take.
    """

    name: str
    page: str
    session: Callable[[Files, WorkerIO], Handler]
    script: str = CALCULATOR_SCRIPT
    files: tuple[str, ...] = ()
    fields: tuple[Part, ...] = ()
    #: Modules the page script imports besides calculator.js (preloaded, kept for offline use).
    modules: tuple[str, ...] = ()

    @property
    def file_names(self) -> tuple[str, ...]:
        """The data files' names in the worker's working folder."""
        return tuple(posixpath.basename(path) for path in self.files)


def _ceu(files: Files, io: WorkerIO) -> Handler:
    from calc.conversions import parse_credit_systems
    from calculator_pages.ceu_page import compute
    from calculator_pages.page_session import Session

    systems = parse_credit_systems(files["credit_systems.csv"])
    return Session(lambda values: compute(values, systems))


def _answer(files: Files, io: WorkerIO) -> Handler:
    import json

    from calc.conversions import parse_credit_systems
    from calculator_pages.answer_page import AnswerData, compute
    from calculator_pages.page_session import Session

    systems = parse_credit_systems(files["credit_systems.csv"])
    data = AnswerData.from_json(json.loads(files["answers.json"]))
    return Session(lambda values: compute(values, data, systems))


def _cec(files: Files, io: WorkerIO) -> Handler:
    from calculator_pages.cec_page import compute
    from calculator_pages.page_session import Session

    return Session(compute)


def _deadlines(files: Files, io: WorkerIO) -> Handler:
    from calculator_pages.deadline_page import compute
    from calculator_pages.page_session import Session

    return Session(compute)


def _accreditation(files: Files, io: WorkerIO) -> Handler:
    from calculator_pages.accreditation_page import compute
    from calculator_pages.page_session import Session

    return Session(compute)


def _eligibility(files: Files, io: WorkerIO) -> Handler:
    from calculator_pages.eligibility_page import compute
    from calculator_pages.page_session import Session

    return Session(compute)


def _plan(files: Files, io: WorkerIO) -> Handler:
    from calculator_pages.page_session import Session
    from calculator_pages.plan_page import compute

    return Session(compute)


def _recert(files: Files, io: WorkerIO) -> Handler:
    from calc.requirement_table import read_tables
    from calculator_pages.tracker_session import TrackerSession

    names = ("credit_systems.csv", "vocabularies.csv", "requirements.csv")
    return TrackerSession(read_tables(*(files[name] for name in names)))


def _verify(files: Files, io: WorkerIO) -> Handler:
    from calculator_pages.verify_page import ISSUERS_FILE, VerifySession

    return VerifySession(files[ISSUERS_FILE])


def _annual_report(files: Files, io: WorkerIO) -> Handler:
    from calculator_pages.annual_report_page import FileSession

    return FileSession(io)


def _certificates(files: Files, io: WorkerIO) -> Handler:
    from calc.conversions import parse_credit_systems
    from calculator_pages.certificates_page import CertificateSession

    return CertificateSession(parse_credit_systems(files["credit_systems.csv"]), io)


CALCULATORS: Mapping[str, Calculator] = {
    calculator.name: calculator
    for calculator in (
        Calculator("ceu", "calculator.md", _ceu, files=(CREDIT_SYSTEMS,), fields=forms.CEU),
        Calculator("cec", "cec.md", _cec, fields=forms.CEC),
        Calculator("deadlines", "deadlines.md", _deadlines, fields=forms.DEADLINES),
        Calculator("accreditation", "accreditation.md", _accreditation, fields=forms.ACCREDITATION),
        Calculator("eligibility", "eligibility.md", _eligibility),
        Calculator("plan", "course-plan.md", _plan),
        Calculator(
            "recert",
            "recertification.md",
            _recert,
            script="assets/calculators/recert-page.js",
            files=(CREDIT_SYSTEMS, REQUIREMENTS, VOCABULARIES),
            fields=forms.RECERT,
            modules=(CREDENTIAL_KIT,),
        ),
        Calculator(
            "annual-report",
            "annual-report.md",
            _annual_report,
            script="assets/calculators/annual-report.js",
            fields=forms.ANNUAL_REPORT,
        ),
        Calculator("answer", ANSWER_PAGE, _answer, files=(CREDIT_SYSTEMS, ANSWER_DATA)),
        Calculator(
            "certificates",
            "certificates.md",
            _certificates,
            script="assets/calculators/certificates.js",
            files=(CREDIT_SYSTEMS,),
            fields=forms.CERTIFICATES,
            modules=(CREDENTIAL_KIT,),
        ),
        Calculator(
            "verify",
            VERIFY_PAGE,
            _verify,
            script="assets/calculators/verify-page.js",
            files=(ISSUERS_DATA,),
            modules=(CREDENTIAL_KIT,),
        ),
    )
}


def calculator(name: str, registry: Mapping[str, Calculator] = CALCULATORS) -> Calculator:
    """The calculator called ``name``; a name no calculator has is a KeyError naming the known ones."""
    try:
        return registry[name]
    except KeyError:
        raise KeyError(f"no calculator is called {name!r} (there are: {', '.join(registry)})") from None
