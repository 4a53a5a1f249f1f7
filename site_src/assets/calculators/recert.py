"""/recertification/: the ACE recertification tracker (wiring only).

The tracker's state is the JSON file ``ceu recert`` reads; it lives in this browser's
localStorage and nowhere else (every input is ``data-private``: nothing goes into the URL,
and nothing is sent). The rules and every figure are ``calculators.recert_page``'s; this
module adds and removes entries, keeps the state, and exports and imports it.
"""

import datetime

from adapter import Calculator, _element, _missing, _on
from pyscript import document, window

from calculators import recert_page

STORAGE_KEY = "openceu.recert"
NAME = "recert"


def _by_id(suffix):
    return document.getElementById(f"{NAME}-{suffix}")


class Tracker(Calculator):
    def __init__(self):
        super().__init__(NAME, self._compute)
        self.cert_form = _by_id("cert-form")
        self.record_form = _by_id("record-form")
        self.state = recert_page.empty()
        self.worksheet_file = "recertification-packet.html"

    def _compute(self, values):
        return recert_page.compute(self.state, values.get("as_of", ""), datetime.date.today())

    # ---- the browser's storage (the only copy besides the visitor's exports)
    def load_stored(self):
        text = window.localStorage.getItem(STORAGE_KEY)
        if _missing(text):
            return
        loaded = recert_page.load_json(text)
        if loaded.error:  # kept as it is: the visitor may still export it by hand
            self._data_message(
                f"The records kept in this browser could not be read: {loaded.error}", error=True
            )
            return
        self.state = loaded.state

    def _store(self):
        window.localStorage.setItem(STORAGE_KEY, recert_page.state_text(self.state))

    def _changed(self, state, said=""):
        self.state = state
        self._store()
        self.render_lists()
        self.run()
        self._data_message(said)

    # ---- messages beside the add forms and the import control
    def _clear_messages(self, form):
        for node in form.querySelectorAll(".calc-error"):
            node.textContent = ""
            node.hidden = True
        for node in form.querySelectorAll("[aria-invalid]"):
            node.removeAttribute("aria-invalid")

    def _field_message(self, field, message):
        slot = _by_id(f"error-{field}")
        slot.textContent = message
        slot.hidden = False
        control = _by_id(field)
        if not _missing(control):
            control.setAttribute("aria-invalid", "true")
            control.focus()

    def _data_message(self, text, error=False):
        slot = _by_id("error-import")
        slot.textContent = text if error else ""
        slot.hidden = not error
        _by_id("data-status").textContent = "" if error else text

    # ---- the lists, each entry with its Remove button (text only: nothing here is markup)
    def render_lists(self):
        certs = _by_id("certifications")
        certs.replaceChildren()
        for index, cert in enumerate(self.state["certifications"]):
            text = f"{cert['name']}: current period from {cert['period_start']}"
            certs.append(self._entry(text, "remove-certification", index, f"Remove {cert['name']}"))
        if not self.state["certifications"]:
            certs.append(_element("li", "No certification yet.", **{"class": "calc-list-empty"}))
        records = _by_id("records")
        records.replaceChildren()
        for index, row in enumerate(self.state["records"]):
            what = row.get("course_number") or recert_page.KIND_LABELS.get(
                row.get("kind", ""), row.get("kind", "")
            )
            amount = f", {row['cecs']}" if row.get("cecs") else ""
            grade = f", grade {row['grade']}" if row.get("grade") else ""
            text = f"{row.get('completed_on', '')}: {what}{amount}{grade}"
            records.append(self._entry(text, "remove-record", index, f"Remove the record {text}"))
        if not self.state["records"]:
            records.append(_element("li", "No record yet.", **{"class": "calc-list-empty"}))

    def _entry(self, text, action, index, label):
        item = _element("li")
        item.append(_element("span", text))
        item.append(document.createTextNode(" "))
        button = _element(
            "button", "Remove", type="button", data_action=action, data_index=str(index), aria_label=label
        )
        button.className = "calc-button calc-button--small"
        item.append(button)
        return item

    # ---- adding
    def add_certification(self, event):
        event.preventDefault()
        self._clear_messages(self.cert_form)
        values = self._fields(self.cert_form, skip_rows=False)
        changed = recert_page.add_certification(self.state, values["cert_name"], values["cert_start"])
        if changed.error:
            self._field_message(changed.field, changed.error)
            return
        self.cert_form.reset()
        self._changed(changed.state, f"Added {values['cert_name'].strip()}.")
        _by_id("cert_name").focus()

    def add_record(self, event):
        event.preventDefault()
        self._clear_messages(self.record_form)
        changed = recert_page.add_record(self.state, self._fields(self.record_form, skip_rows=False))
        if changed.error:
            self._field_message(changed.field, changed.error)
            return
        self.record_form.reset()
        self._changed(changed.state, "Record added.")
        _by_id("kind").focus()

    # ---- removing, exporting, importing
    def _list_clicked(self, event):
        button = event.target.closest("[data-action]")
        if _missing(button):
            return
        action = button.dataset.action
        if action in ("remove-certification", "remove-record"):
            key = "certifications" if action == "remove-certification" else "records"
            index = int(button.dataset.index)
            self._changed(recert_page.removed(self.state, key, index), "Removed.")
            rest = document.querySelectorAll(f"#{NAME}-{key} [data-action]")
            target = (
                rest.item(min(index, rest.length - 1))
                if rest.length
                else _by_id("cert_name" if key == "certifications" else "kind")
            )
            target.focus()
        elif action == "export-json":
            self._save(recert_page.state_text(self.state), "application/json", "recertification.json")
            self._data_message("Exported recertification.json.")
        elif action == "export-csv":
            self._save(recert_page.records_csv(self.state), "text/csv", "recertification-records.csv")
            self._data_message(
                "Exported recertification-records.csv (name the certifications with --certification)."
            )
        elif action == "clear" and window.confirm(
            "Remove every certification and record kept in this browser?"
        ):
            self._changed(recert_page.empty(), "Everything was removed from this browser.")

    async def _import(self, event):
        chosen = event.target.files
        if not chosen.length:
            return
        file = chosen.item(0)
        text = await file.text()
        name = str(file.name)
        if name.lower().endswith(".csv"):
            loaded = recert_page.load_csv(text, self.state)
        else:
            loaded = recert_page.load_json(text)
        event.target.value = ""
        if loaded.error:
            self._data_message(f"{name}: {loaded.error} Nothing was changed.", error=True)
            return
        records = len(loaded.state["records"])
        self._changed(loaded.state, f"Imported {name}: {records} record(s).")

    def start(self):
        self.load_stored()
        self.render_lists()
        _on(self.cert_form, "submit", self.add_certification)
        _on(self.record_form, "submit", self.add_record)
        for box in ("certifications", "records", "data"):
            _on(_by_id(box), "click", self._list_clicked)
        _on(_by_id("import"), "change", self._import)
        super().start()


Tracker().start()
