"""Every calculator declared once (calculator_pages.registry): its page names it and the build
wires the rest (site_build.calculator_wiring); its worker's session starts from the registry."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from calculator_pages.annual_report_page import FileSession
from calculator_pages.answer_page import AnswerData
from calculator_pages.registry import CALCULATORS, CREDIT_SYSTEMS, calculator
from site_build.calculator_wiring import WORKER_ENTRY, page_wiring

REPO = Path(__file__).resolve().parents[2]
CONTENT = REPO / "content"


def front_matter(path: Path) -> str:
    return path.read_text(encoding="utf-8").split("\n---\n", 1)[0]


class NoBrowser:
    """A worker's browser side for sessions that never read a visitor's file."""

    def read(self, file: Any, offset: int, length: int) -> bytes:
        raise AssertionError("no file is read")

    def post(self, message: Any) -> None:
        raise AssertionError("nothing is posted")


@pytest.mark.parametrize("name", [name for name in CALCULATORS if name != "answer"])
def test_each_calculator_page_names_its_calculator_and_nothing_of_its_wiring(name: str) -> None:
    page = CONTENT / CALCULATORS[name].page
    lines = front_matter(page).splitlines()[1:]
    assert f"calculator: {name}" in lines
    assert [line.split(":")[0] for line in lines] == ["title", "calculator"]


def test_the_build_fills_in_a_calculator_page_from_its_record() -> None:
    wired = page_wiring({"title": "CEU calculator", "calculator": "ceu"})
    assert wired["template"] == "worker_page.html" and wired["csp"] == "worker"
    assert wired["worker"]["name"] == "ceu"
    assert wired["worker"]["entry"] == WORKER_ENTRY
    assert wired["worker"]["files"] == [CREDIT_SYSTEMS]
    assert page_wiring({"title": "About"}) == {}


@pytest.mark.parametrize(
    ("meta", "message"),
    [
        ({"calculator": "ceus"}, "no calculator is called 'ceus' (there are: ceu, cec,"),
        ({"calculator": ["ceu"]}, "give one name"),
        ({"calculator": "ceu", "template": "main.html"}, "leave out template"),
    ],
)
def test_a_page_that_names_no_calculator_or_wires_itself_is_refused(
    meta: dict[str, Any], message: str
) -> None:
    with pytest.raises(ValueError, match="calculator: ") as raised:
        page_wiring(meta)
    assert message in str(raised.value)


def test_every_calculator_session_starts_from_its_data_files_and_answers() -> None:
    files = {
        name: (REPO / "directory_data" / name).read_text(encoding="utf-8")
        for name in ("credit_systems.csv", "requirements.csv", "vocabularies.csv")
    }
    nothing = AnswerData("2026-12-04", (), (), "suggest/", "https://iacet.test/", "status/")
    files["answers.json"] = json.dumps(nothing.to_json())
    files["issuers.json"] = json.dumps({"built": "2026-12-04", "issuers": {}})  # issue 33: none listed
    for name, record in CALCULATORS.items():
        assert set(record.file_names) <= set(files), name
        session = record.session({key: files[key] for key in record.file_names}, NoBrowser())
        if name in ("recert", "annual-report", "certificates", "verify"):
            continue  # their messages are their own (test_tracker_page, test_certificates_page, test_verify_page, below)
        answer = session.handle({"type": "compute", "values": {}, "rows": [] if name == "plan" else None})
        assert answer["type"] == "outcome", name


class FileInBlocks:
    """A visitor's file as the worker sees it, read block by block through the browser's side."""

    def __init__(self, name: str, data: bytes) -> None:
        self.name, self.size, self.data = name, len(data), data
        self.posted: list[Any] = []

    def read(self, file: Any, offset: int, length: int) -> bytes:
        return file.data[offset : offset + length]

    def post(self, message: Any) -> None:
        self.posted.append(message)


def test_the_annual_report_session_counts_a_file_posting_its_progress() -> None:
    data = b"learner_id,event_id,date,ceus_awarded\na,e1,2026-03-01,0.5\nb,e1,2026-03-01,0.5\n"
    file = FileInBlocks("attendance.csv", data)
    answer = FileSession(file).handle(
        {"type": "run", "file": file, "asOf": "2026-06-30", "today": "2026-12-04", "url": "https://x.test/"}
    )
    assert answer["type"] == "result" and answer["ok"] is True
    assert 'data-value="2"' in answer["figures"]  # two participants
    assert "attendance.csv" in answer["document"]  # the worksheet names the file it counted
    assert file.posted == [{"type": "progress", "done": len(data), "total": len(data)}]
    with pytest.raises(ValueError, match="no message of type 'compute'"):
        FileSession(file).handle({"type": "compute"})


def test_a_name_no_calculator_has_is_a_key_error_naming_the_known_ones() -> None:
    with pytest.raises(KeyError, match="there are: ceu"):
        calculator("nothing")
