"""The recertification tracker's Python side in the page's Web Worker (see :mod:`page_session`).

The tracker's state (the JSON file ``ceu recert`` reads) lives in the browser's localStorage
and nowhere else; the page hands the stored text over once (``load``) and stores what every
change sends back (``stored``). Besides a calculator's messages this session takes
``add-certification``, ``add-record`` (the add forms' values), ``remove`` (a list and an
index), ``check-import`` and ``import`` (a file's name, size and text), ``clear`` and ``export``
(``json`` or ``csv``). Each answers with the lists as the page shows them (text only: nothing in
them is markup), what to store, and one sentence to say, or the field in error and why.

Nothing that is not a tracker file (or a records CSV) is ever imported, and ``check-import``
gives the question to ask before an import replaces what is kept (empty when nothing would be
lost). ``load`` takes the stored text back as it was, which is also how the page's Undo restores
the state from before an import or a removal.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from calculator_pages import recert_page
from calculator_pages.outcome import Outcome
from calculator_pages.page_session import Message, Reply, Session

EMPTY_LISTS = {"certifications": "No certification yet.", "records": "No record yet."}
EXPORTS = {
    "json": ("recertification.json", "application/json", "Exported recertification.json."),
    "csv": (
        "recertification-records.csv",
        "text/csv",
        "Exported recertification-records.csv (name the certifications with --certification).",
    ),
}


def entries(state: recert_page.State) -> dict[str, Any]:
    """Each list's entries (text, and what its Remove button says and does), or what an empty list says."""
    certifications = [
        {
            "text": f"{cert['name']}: current period from {cert['period_start']}",
            "label": f"Remove {cert['name']}",
        }
        for cert in state["certifications"]
    ]
    records = []
    for row in state["records"]:
        what = row.get("course_number") or recert_page.KIND_LABELS.get(
            row.get("kind", ""), row.get("kind", "")
        )
        amount = f", {row['cecs']}" if row.get("cecs") else ""
        grade = f", grade {row['grade']}" if row.get("grade") else ""
        text = f"{row.get('completed_on', '')}: {what}{amount}{grade}"
        records.append({"text": text, "label": f"Remove the record {text}"})
    return {"certifications": certifications, "records": records, "empty": EMPTY_LISTS}


class TrackerSession(Session):
    def __init__(self, today: Callable[[], dt.date] = dt.date.today) -> None:
        super().__init__(self._compute, today)
        self.state = recert_page.empty()

    def _compute(self, values: Mapping[str, str]) -> Outcome:
        return recert_page.compute(self.state, values.get("as_of", ""), self.today())

    def handle(self, message: Message) -> Reply:
        kind = message.get("type")
        if kind == "load":
            return self.load(message.get("stored"))
        if kind == "add-certification":
            values = message["values"]
            changed = recert_page.add_certification(
                self.state, str(values.get("cert_name", "")), str(values.get("cert_start", ""))
            )
            return self._changed(changed, f"Added {str(values.get('cert_name', '')).strip()}.")
        if kind == "add-record":
            values = {str(key): str(value) for key, value in message["values"].items()}
            return self._changed(recert_page.add_record(self.state, values), "Record added.")
        if kind == "remove":
            key = "certifications" if message["list"] == "certifications" else "records"
            index = int(message["index"])
            shown = entries(self.state)[key]
            what = shown[index]["label"].removeprefix("Remove ") if 0 <= index < len(shown) else ""
            state = recert_page.removed(self.state, key, index)
            return self._changed(recert_page.Changed(state), f"Removed {what}." if what else "Removed.")
        if kind in ("check-import", "import"):
            name, text = str(message["name"]), str(message.get("text") or "")
            size = int(message.get("size", len(text.encode("utf-8"))))
            if kind == "check-import":
                return self.check_import(name, text, size)
            return self.imported(name, text, size)
        if kind == "clear":
            return self._changed(
                recert_page.Changed(recert_page.empty()), "Everything was removed from this browser."
            )
        if kind == "export":
            return self.exported(str(message["format"]))
        return super().handle(message)

    def load(self, stored: str | None) -> Reply:
        """The state kept in this browser (none: empty); one that cannot be read stays stored
        (it may still be exported by hand). The answer names the largest file an import takes."""
        limit = {"import_bytes": recert_page.MAX_FILE_BYTES, "import_limit": recert_page.import_limit()}
        self.state = recert_page.empty()
        if stored is None:
            return {**self._reply(), **limit}
        loaded = recert_page.load_json(stored)
        if loaded.error:
            error = f"The records kept in this browser could not be read: {loaded.error}"
            return {**self._reply(error=error), **limit}
        self.state = loaded.state
        return {**self._reply(), **limit}

    def _read(self, name: str, text: str, size: int) -> recert_page.Loaded:
        loaded = recert_page.read_import(name, text, size, self.state)
        if loaded.error:
            return recert_page.Loaded(self.state, f"{name}: {loaded.error.rstrip('.')}. Nothing was changed.")
        return loaded

    def check_import(self, name: str, text: str, size: int) -> Reply:
        """Whether the file can be imported, and what to ask first if it would replace what is kept."""
        loaded = self._read(name, text, size)
        if loaded.error:
            return self._reply(error=loaded.error)
        records_only = name.lower().endswith(".csv")
        return {
            **self._reply(),
            "question": recert_page.replacing(name, loaded.state, self.state, records_only),
        }

    def imported(self, name: str, text: str, size: int) -> Reply:
        loaded = self._read(name, text, size)
        if loaded.error:
            return self._reply(error=loaded.error)
        said = f"Imported {name}: {len(loaded.state['records'])} record(s)."
        return self._changed(recert_page.Changed(loaded.state), said)

    def exported(self, kind: str) -> Reply:
        filename, media_type, said = EXPORTS[kind]
        text = recert_page.state_text(self.state) if kind == "json" else recert_page.records_csv(self.state)
        return {**self._reply(said=said), "file": {"text": text, "type": media_type, "name": filename}}

    def _changed(self, changed: recert_page.Changed, said: str) -> Reply:
        if changed.error:
            return self._reply(field=changed.field, error=changed.error)
        self.state = changed.state
        return {**self._reply(said=said), "stored": recert_page.state_text(self.state)}

    def _reply(self, *, said: str = "", field: str = "", error: str = "") -> Reply:
        """``field`` set: a message beside that add-form field; ``error`` alone: beside the import control."""
        return {"type": "tracker", "lists": entries(self.state), "said": said, "field": field, "error": error}
