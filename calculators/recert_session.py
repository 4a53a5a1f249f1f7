"""The recertification tracker's Python side in the page's Web Worker (see :mod:`page_session`).

The tracker's state (the JSON file ``ceu recert`` reads) lives in the browser's localStorage
and nowhere else; the page hands the stored text over once (``load``) and stores what every
change sends back (``stored``). Besides a calculator's messages this session takes
``add-certification``, ``add-record`` (the add forms' values), ``remove`` (a list and an
index), ``import`` (a file's name and text), ``clear`` and ``export`` (``json`` or ``csv``).
Each answers with the lists as the page shows them (text only: nothing in them is markup),
what to store, and one sentence to say, or the field in error and why.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from calculators import recert_page
from calculators.outcome import Outcome
from calculators.page_session import Message, Reply, Session

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
            state = recert_page.removed(self.state, key, int(message["index"]))
            return self._changed(recert_page.Changed(state), "Removed.")
        if kind == "import":
            return self.imported(str(message["name"]), str(message["text"]))
        if kind == "clear":
            return self._changed(
                recert_page.Changed(recert_page.empty()), "Everything was removed from this browser."
            )
        if kind == "export":
            return self.exported(str(message["format"]))
        return super().handle(message)

    def load(self, stored: str | None) -> Reply:
        """The state kept in this browser; one that cannot be read stays stored (it may still be exported by hand)."""
        if stored is None:
            return self._reply()
        loaded = recert_page.load_json(stored)
        if loaded.error:
            return self._reply(error=f"The records kept in this browser could not be read: {loaded.error}")
        self.state = loaded.state
        return self._reply()

    def imported(self, name: str, text: str) -> Reply:
        if name.lower().endswith(".csv"):
            loaded = recert_page.load_csv(text, self.state)
        else:
            loaded = recert_page.load_json(text)
        if loaded.error:
            return self._reply(error=f"{name}: {loaded.error} Nothing was changed.")
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
