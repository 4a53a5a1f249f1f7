"""The recertification tracker's Python side in the page's Web Worker (see :mod:`page_session`).

The tracker's state (the file ``ceu tracker`` reads, :mod:`calculator_pages.tracker_page`)
lives in the browser's localStorage and nowhere else; certificate files live in the browser's
IndexedDB, keyed by their SHA-256, and only their names, sizes and fingerprints are in the
state. Besides a calculator's messages (``compute``, ``worksheet``) this session takes:

* ``load`` (``stored``: the stored text or nothing): the state, migrated when it is today's
  ACE-only file (then ``stored`` holds the new text and ``migrated`` is true), and the options
  the forms offer (requirements, certificate units, activity kinds);
* ``add-credential`` (``values``: requirement, credential_name, cycle_start);
* ``add-activity`` (``values``: the text fields and ``length``/``length_unit``; ``kinds``,
  ``credentials``: the boxes ticked; ``files``: name, type, size, sha256 of each file kept);
* ``remove`` (``list``: credentials or activities, ``index``);
* ``check-import`` and ``import`` (a file's ``name``, ``size`` and ``text``);
* ``clear``; ``export`` (the tracker file to save).

Each answers with the lists as the page shows them (text only), the credentials' names (the
activity form's boxes), ``files`` (every SHA-256 the state names: the page deletes any other
file it keeps), what to store (``stored``), one sentence to say, or the field in error and why.
Nothing that is not a tracker file or a records CSV is ever imported; ``check-import`` gives the
question to ask before an import replaces what is kept. ``load`` takes stored text back as it
was, which is also how the page's Undo restores the state before an import or a removal.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from calculator_pages import tracker_page
from calculator_pages.outcome import Outcome
from calculator_pages.page_session import Message, Reply, Session
from calculator_pages.tracker_page import Changed, Loaded, State, Tables

EMPTY_LISTS = {"credentials": "No credential yet.", "activities": "No activity yet."}
EXPORT_NAME = "openceu-tracker.json"


def entries(state: State, tables: Tables) -> dict[str, Any]:
    """Each list's entries (text, and what its Remove button says), or what an empty list says."""
    credentials = [
        {"text": tracker_page.credential_text(c, tables), "label": f"Remove {c.get('name', '')}"}
        for c in state["credentials"]
    ]
    activities = []
    for activity in state["activities"]:
        text = tracker_page.activity_text(activity, tables.units)
        activities.append({"text": text, "label": f"Remove the activity {text}"})
    return {"credentials": credentials, "activities": activities, "empty": EMPTY_LISTS}


class TrackerSession(Session):
    def __init__(self, tables: Tables, today: Callable[[], dt.date] = dt.date.today) -> None:
        super().__init__(self._compute, today)
        self.tables = tables
        self.state = tracker_page.empty()

    def _compute(self, values: Mapping[str, str]) -> Outcome:
        return tracker_page.compute(self.state, values.get("as_of", ""), self.today(), self.tables)

    def handle(self, message: Message) -> Reply:
        kind = message.get("type")
        if kind == "load":
            return self.load(message.get("stored"))
        if kind == "add-credential":
            values = _texts(message.get("values") or {})
            changed = tracker_page.add_credential(self.state, values, self.tables)
            added = changed.state["credentials"][-1]["name"] if not changed.error else ""
            return self._changed(changed, f"Added {added}.")
        if kind == "add-activity":
            changed = tracker_page.add_activity(
                self.state,
                _texts(message.get("values") or {}),
                [str(k) for k in message.get("kinds") or []],
                [str(c) for c in message.get("credentials") or []],
                [dict(f) for f in message.get("files") or []],
                self.tables,
            )
            return self._changed(changed, "Activity added.")
        if kind == "remove":
            key = "credentials" if message["list"] == "credentials" else "activities"
            index = int(message["index"])
            shown = entries(self.state, self.tables)[key]
            what = shown[index]["label"].removeprefix("Remove ") if 0 <= index < len(shown) else ""
            state = tracker_page.removed(self.state, key, index)
            return self._changed(Changed(state), f"Removed {what}." if what else "Removed.")
        if kind in ("check-import", "import"):
            name, text = str(message["name"]), str(message.get("text") or "")
            size = int(message.get("size", len(text.encode("utf-8"))))
            if kind == "check-import":
                return self.check_import(name, text, size)
            return self.imported(name, text, size)
        if kind == "clear":
            return self._changed(Changed(tracker_page.empty()), "Everything was removed from this browser.")
        if kind == "export":
            text = tracker_page.state_text(self.state)
            file = {"text": text, "type": "application/json", "name": EXPORT_NAME}
            return {**self._reply(said=f"Exported {EXPORT_NAME}."), "file": file}
        return super().handle(message)

    def load(self, stored: str | None) -> Reply:
        """The state kept in this browser (none: empty). Today's ACE-only state is migrated and
        the new text given to store; one that cannot be read stays stored (it may be exported by hand)."""
        extra = {
            "import_bytes": tracker_page.MAX_FILE_BYTES,
            "import_limit": tracker_page.import_limit(),
            "options": self.tables.options(),
        }
        self.state = tracker_page.empty()
        if stored is None:
            return {**self._reply(), **extra}
        loaded = tracker_page.load_text(stored, self.tables)
        if loaded.error:
            error = f"The records kept in this browser could not be read: {loaded.error}"
            return {**self._reply(error=error), **extra}
        self.state = loaded.state
        if loaded.migrated:
            said = "Your ACE tracker was moved to this tracker; the figures are the same and the old file is kept."
            return {
                **self._reply(said=said),
                **extra,
                "migrated": True,
                "stored": tracker_page.state_text(self.state),
            }
        return {**self._reply(), **extra}

    def _read(self, name: str, text: str, size: int) -> Loaded:
        loaded = tracker_page.read_import(name, text, size, self.state, self.tables)
        if loaded.error:
            return Loaded(self.state, f"{name}: {loaded.error.rstrip('.')}. Nothing was changed.")
        return loaded

    def check_import(self, name: str, text: str, size: int) -> Reply:
        """Whether the file can be imported, and what to ask first if it would replace what is kept."""
        loaded = self._read(name, text, size)
        if loaded.error:
            return self._reply(error=loaded.error)
        only = name.lower().endswith(".csv")
        return {**self._reply(), "question": tracker_page.replacing(name, loaded.state, self.state, only)}

    def imported(self, name: str, text: str, size: int) -> Reply:
        loaded = self._read(name, text, size)
        if loaded.error:
            return self._reply(error=loaded.error)
        count = len(loaded.state["activities"])
        said = f"Imported {name}: {count} activit{'y' if count == 1 else 'ies'}."
        return self._changed(Changed(loaded.state), said)

    def _changed(self, changed: Changed, said: str) -> Reply:
        if changed.error:
            return self._reply(field=changed.field, error=changed.error)
        self.state = changed.state
        return {**self._reply(said=said), "stored": tracker_page.state_text(self.state)}

    def _reply(self, *, said: str = "", field: str = "", error: str = "") -> Reply:
        """``field`` set: a message beside that form field; ``error`` alone: beside the import control."""
        return {
            "type": "tracker",
            "lists": entries(self.state, self.tables),
            "names": [c["name"] for c in self.state["credentials"]],
            "files": tracker_page.file_hashes(self.state),
            "said": said,
            "field": field,
            "error": error,
        }


def _texts(mapping: Mapping[Any, Any]) -> dict[str, str]:
    return {str(key): "" if value is None else str(value) for key, value in mapping.items()}
