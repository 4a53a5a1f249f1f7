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
* ``add-signed`` (``text``: a signed credential's JSON, ``problem``: why the page's check of its
  proof failed, or nothing when it held): a record made from its facts that keeps the credential;
* ``remove`` (``list``: credentials or activities, ``index``);
* ``check-import`` and ``import`` (a file's ``name``, ``size`` and ``text``); ``check-import``
  also gives the signed certificates the file's records keep (``signed``: activity number and
  the credential's JSON), whose proofs the page checks before it imports;
* ``clear``; ``export`` (the tracker file to save);
* ``calendar-credential`` (``index``): that credential's .ics (its cycle's end, what is still
  missing, reminders 90 and 30 days before), counted on the day the result is shown for;
* ``bundle`` (``files``: SHA-256 -> the file's bytes in base64, every file the page keeps): the
  audit bundle zip (tracker, printable audit page, calendars, files, SHA256SUMS) in base64;
* ``check-import``/``import`` of a bundle (a ``.zip``: ``data`` is its bytes in base64): read and
  checked whole (:func:`calculator_pages.tracker_exports.read_bundle`); ``import`` answers with
  ``restore`` (SHA-256 -> name, type, size and base64 ``data``), the files for the page to keep before it stores the state.

Each answers with the lists as the page shows them (text only), the credentials' names (the
activity form's boxes), ``files`` (every SHA-256 the state names: the page deletes any other
file it keeps), what to store (``stored``), one sentence to say, or the field in error and why.
Nothing that is not a tracker file or a records CSV is ever imported; ``check-import`` gives the
question to ask before an import replaces what is kept. ``load`` takes stored text back as it
was, which is also how the page's Undo restores the state before an import or a removal.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from calc.errors import CreditInputError
from calc.requirement_table import Tables
from calculator_pages import tracker_exports, tracker_page
from calculator_pages.outcome import Outcome
from calculator_pages.page_session import Message, Reply, Session
from calculator_pages.tracker_page import Changed, Loaded, State

EMPTY_LISTS = {"credentials": "No credential yet.", "activities": "No activity yet."}
EXPORT_NAME = "openceu-tracker.json"
#: The largest audit bundle the page imports (its files included): far more than a learner's
#: certificates, far less than a browser's memory.
MAX_BUNDLE_BYTES = 200_000_000


def entries(state: State, tables: Tables) -> dict[str, Any]:
    """Each list's entries (text, and what its Remove button says), or what an empty list says."""
    credentials = [
        {
            "text": tracker_page.credential_text(c, tables),
            "label": f"Remove {c.get('name', '')}",
            "calendar": f"Calendar file for {c.get('name', '')}",
        }
        for c in state["credentials"]
    ]
    activities = []
    for activity in state["activities"]:
        text = tracker_page.activity_text(activity, tables.units)
        signed = bool(activity.get("credential"))
        activities.append({"text": text, "label": f"Remove the activity {text}", "signed": signed})
    return {"credentials": credentials, "activities": activities, "empty": EMPTY_LISTS}


class TrackerSession(Session):
    def __init__(self, tables: Tables, today: Callable[[], dt.date] = dt.date.today) -> None:
        super().__init__(self._compute, today)
        self.tables = tables
        self.state = tracker_page.empty()
        self.as_of = ""  # the day the last result was counted on, as typed (empty: today)

    def _compute(self, values: Mapping[str, str]) -> Outcome:
        self.as_of = values.get("as_of", "")
        return tracker_page.compute(self.state, self.as_of, self.today(), self.tables)

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
        if kind == "add-signed":
            problem = message.get("problem")
            changed = tracker_page.add_signed(
                self.state, str(message.get("text") or ""), str(problem) if problem else None, self.tables
            )
            title = changed.state["activities"][-1]["title"] if not changed.error else ""
            return self._changed(changed, f"Kept the signed credential for {title} as an activity.")
        if kind == "remove":
            key = "credentials" if message["list"] == "credentials" else "activities"
            index = int(message["index"])
            shown = entries(self.state, self.tables)[key]
            what = shown[index]["label"].removeprefix("Remove ") if 0 <= index < len(shown) else ""
            state = tracker_page.removed(self.state, key, index)
            return self._changed(Changed(state), f"Removed {what}." if what else "Removed.")
        if kind in ("check-import", "import") and str(message["name"]).lower().endswith(".zip"):
            return self.bundle_import(
                kind, str(message["name"]), int(message.get("size", 0)), message.get("data")
            )
        if kind in ("check-import", "import"):
            name, text = str(message["name"]), str(message.get("text") or "")
            size = int(message.get("size", len(text.encode("utf-8"))))
            if kind == "check-import":
                return self.check_import(name, text, size)
            return self.imported(name, text, size)
        if kind == "clear":
            return self._changed(Changed(tracker_page.empty()), "Everything was removed from this browser.")
        if kind == "calendar-credential":
            return self.credential_calendar(int(message["index"]))
        if kind == "bundle":
            return self.bundle({str(k): str(v) for k, v in (message.get("files") or {}).items()})
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
            "bundle_bytes": MAX_BUNDLE_BYTES,
            "options": tracker_page.form_options(self.tables),
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

    def credential_calendar(self, index: int) -> Reply:
        """Credential ``index``'s calendar, counted on the day the result is shown for."""
        try:
            found = tracker_page.standings(self.state, self.as_of, self.today(), self.tables)
        except CreditInputError as error:
            return self._reply(error=error.message)
        if not 0 <= index < len(found):
            return self._reply(error="that credential is no longer tracked")
        calendar = tracker_exports.credential_calendar(found[index])
        text = calendar.text(dt.datetime.now(dt.UTC))
        file = {"text": text, "type": "text/calendar", "name": calendar.filename}
        return {**self._reply(said=f"Saved {calendar.filename}."), "file": file}

    def bundle(self, files: Mapping[str, str]) -> Reply:
        """The audit bundle of what is kept, its files given by the page (base64 by SHA-256)."""
        try:
            found = tracker_page.standings(self.state, self.as_of, self.today(), self.tables)
            kept = {digest: base64.b64decode(data, validate=True) for digest, data in files.items()}
            blob = tracker_exports.audit_bundle(self.state, found, kept, self.today(), self.tables.kinds)
        except (CreditInputError, ValueError, binascii.Error) as error:
            return self._reply(
                error=f"The audit bundle could not be made: {getattr(error, 'message', error)}."
            )
        name = f"openceu-audit-bundle-{self.today()}.zip"
        bundle = {"data": base64.b64encode(blob).decode("ascii"), "type": "application/zip", "name": name}
        missing = len(tracker_page.file_hashes(self.state)) - len(kept)
        said = f"Saved {name}." + (
            f" {missing} certificate file(s) named by activities are not kept in this browser: "
            "the audit page in the bundle lists them as missing."
            if missing > 0
            else ""
        )
        return {**self._reply(said=said), "bundle": bundle}

    def bundle_import(self, kind: str, name: str, size: int, data: Any) -> Reply:
        """An audit bundle to import: checked whole, then read as its tracker file is read."""
        limit = f"{MAX_BUNDLE_BYTES // 1_000_000:,} MB"
        if size > MAX_BUNDLE_BYTES or not data:
            why = f"the file is over {limit}" if size > MAX_BUNDLE_BYTES else "the file is empty"
            return self._reply(error=f"{name}: {why}. Nothing was changed.")
        try:
            text, files = tracker_exports.read_bundle(
                base64.b64decode(str(data), validate=True), MAX_BUNDLE_BYTES
            )
        except (ValueError, binascii.Error) as error:
            return self._reply(error=f"{name}: {str(error).rstrip('.')}. Nothing was changed.")
        loaded = self._read(name, text, len(text.encode("utf-8")))
        if loaded.error:
            return self._reply(error=loaded.error)
        if kind == "check-import":
            return {
                **self._reply(),
                "question": tracker_page.replacing(name, loaded.state, self.state, False),
                "signed": tracker_page.signed_credentials(loaded.state),
            }
        count = len(loaded.state["activities"])
        said = f"Imported {name}: {count} activit{'y' if count == 1 else 'ies'} and {len(files)} certificate file(s)."
        reply = self._changed(Changed(loaded.state), said)
        refs = tracker_exports.named_files(loaded.state)
        reply["restore"] = {
            digest: {
                "name": refs[digest].name,
                "type": refs[digest].type,
                "size": len(blob),
                "data": base64.b64encode(blob).decode("ascii"),
            }
            for digest, blob in files.items()
        }
        return reply

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
        return {
            **self._reply(),
            "question": tracker_page.replacing(name, loaded.state, self.state, only),
            "signed": tracker_page.signed_credentials(loaded.state),
        }

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
