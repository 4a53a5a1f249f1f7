"""The one place where a calculator page meets the DOM (runs under PyScript).

A calculator page is a form, a result panel and a few lines of wiring::

    from adapter import mount
    from calculators.ceu_page import compute
    mount("ceu", compute)

The page model (``calculators.*``) gets the form's values and returns an Outcome;
this module reads the form, shows the Outcome (figures, tables, steps, a message
beside each field it is about), keeps the inputs in the URL, and prints or saves
the worksheet. Conventions in the page's HTML, all under ``#<name>-form``:

* inputs by ``name``; ``data-private`` keeps an input out of the URL;
* ``<p class="calc-error" id="<name>-error-<field>">`` beside each field;
* ``[data-when="mode=minutes"]`` shows a part only while that radio is chosen;
* a row list ``[data-rows=<key>]`` holding ``[data-row-list]`` (the rows, each with
  ``data-row="<n>"``), a ``<template>`` for one row (``__N__`` stands for its
  position in ids, labels and text) and ``[data-action=add-row]`` /
  ``[data-action=remove-row]`` buttons; rows are renumbered from the template
  when one is removed, so row ``n``'s inputs are ``#<name>-row-<n>-<input name>``
  and a message for field ``row-<n>-<input name>`` goes in
  ``#<name>-error-row-<n>-<input name>``; the URL keeps rows as repeated
  ``row.<input name>`` params (``rows=0`` when the visitor removed them all);
  reading a URL back takes only the form's own fields and values that fit them
  (``calculators.url_state``: names are looked up, never put into a selector);
* ``#<name>-result`` (an aria-live region) with ``.calc-summary``, ``.calc-figures``,
  ``.calc-tables`` and ``[data-action=print]`` / ``[data-action=download]`` (and
  ``[data-action=calendar]`` where the Outcome carries dates for a calendar); the
  markup inside comes from ``calculators.worksheet`` (escaped, tested in CPython);
* ``#<name>-status`` goes ``loading`` -> ``ready``.

A message beside a field shows only once the visitor has typed in that field or left
it, or pressed Calculate (the form's submit button, or Enter): a new visitor does not
meet red errors under fields they have not reached. Until then the result panel says
what is still needed without marking it an error (``data-state="incomplete"``). Fields
a shared link filled in count as touched.
"""

import datetime
import traceback

from pyodide.ffi import create_proxy, jsnull, to_js
from pyscript import document, window

from calculators.url_state import Control, field_choices, restore
from calculators.worksheet import figures_html, table_html, worksheet_document, worksheet_fragment

_proxies = []  # event handlers must outlive this module's frames


def _missing(node):
    """A DOM lookup found nothing (Pyodide turns JavaScript's null into ``jsnull``)."""
    return node is None or node is jsnull


def _on(node, event, handler):
    proxy = create_proxy(handler)
    _proxies.append(proxy)
    node.addEventListener(event, proxy)


def _element(tag, text="", **attributes):
    node = document.createElement(tag)
    if text:
        node.textContent = text
    for key, value in attributes.items():
        node.setAttribute(key.replace("_", "-"), value)
    return node


def _control(node):
    """How ``calculators.url_state`` sees one input, select or textarea."""
    if node.type == "radio":
        options = (node.value,)
    elif node.tagName == "SELECT":
        options = tuple(option.value for option in node.options)
    else:
        options = ()
    return Control(node.name, node.type, options)


def _set(node, value):
    """Put a value into a control as a visitor would (never through markup or a selector)."""
    kind = node.type
    if kind == "radio":
        node.checked = node.value == value
    elif kind == "checkbox":
        node.checked = value == "yes"
    else:
        node.value = value


class Calculator:
    def __init__(self, name, compute, rows_key=None):
        self.name = name
        self.compute = compute
        self.form = document.getElementById(f"{name}-form")
        self.panel = document.getElementById(f"{name}-result")
        self.status = document.getElementById(f"{name}-status")
        self.rows_box = self.form.querySelector("[data-rows]")
        self.outcome = None
        #: Fields the visitor has typed in or left (row fields as ``row-<n>-<name>``).
        self.touched = set()
        #: Calculate was pressed: every message shows.
        self.show_all = False
        #: What "Download worksheet" names the file.
        self.worksheet_file = f"{name}-worksheet.html"

    # ---- reading the form
    def _row_nodes(self):
        if _missing(self.rows_box):
            return []
        return list(self.rows_box.querySelectorAll("[data-row]"))

    def _fields(self, root, skip_rows):
        values = {}
        for node in root.querySelectorAll("input, select, textarea"):
            if skip_rows and not _missing(node.closest("[data-row]")):
                continue
            name = node.name
            if not name:
                continue
            kind = node.type
            if kind in ("radio", "checkbox"):
                if node.checked:
                    values[name] = node.value if kind == "radio" else "yes"
                elif kind == "checkbox" and name not in values:
                    values[name] = ""
            else:
                values[name] = node.value
        return values

    def read(self):
        values = self._fields(self.form, skip_rows=True)
        rows = [self._fields(row, skip_rows=False) for row in self._row_nodes()]
        return values, rows

    # ---- showing the outcome
    def show(self, outcome):
        self.outcome = outcome
        for node in self.form.querySelectorAll("[aria-invalid]"):
            node.removeAttribute("aria-invalid")
        for node in self.form.querySelectorAll(".calc-error"):
            node.textContent = ""
            node.hidden = True
        shown = [error for error in outcome.errors if self.show_all or error.field in self.touched]
        for error in shown:
            slot = document.getElementById(f"{self.name}-error-{error.field}")
            if not _missing(slot):
                slot.textContent = error.message
                slot.hidden = False
            for node in self.form.querySelectorAll("[name]"):
                if node.getAttribute("name") == error.field:
                    node.setAttribute("aria-invalid", "true")
            own = document.getElementById(f"{self.name}-{error.field}")  # a row's input
            if not _missing(own) and own.matches("input, select, textarea"):
                own.setAttribute("aria-invalid", "true")
        summary = self.panel.querySelector(".calc-summary")
        summary.textContent = outcome.summary
        self.panel.dataset.state = "ok" if outcome.ok else "error" if shown else "incomplete"
        self.panel.querySelector(".calc-figures").innerHTML = figures_html(outcome) if outcome.ok else ""
        tables = self.panel.querySelector(".calc-tables")
        # A folded table the visitor opened stays open while they type.
        opened = {node.dataset.fold for node in tables.querySelectorAll("details[data-fold]") if node.open}
        tables.innerHTML = "".join(table_html(table) for table in outcome.tables if table.rows)
        for node in tables.querySelectorAll("details[data-fold]"):
            node.open = node.dataset.fold in opened
        for button in self.panel.querySelectorAll("[data-action=print], [data-action=download]"):
            button.disabled = not outcome.ok
        for button in self.panel.querySelectorAll("[data-action=calendar]"):
            button.disabled = not (outcome.ok and outcome.calendar and outcome.calendar.events)

    # ---- which messages the visitor has earned
    def _field_key(self, node):
        """The name an outcome's message uses for this control (``row-<n>-<name>`` in a row)."""
        row = node.closest("[data-row]")
        return node.name if _missing(row) else f"row-{row.dataset.row}-{node.name}"

    def _touch(self, event):
        target = event.target
        if _missing(target) or not target.name:
            return
        self.touched.add(self._field_key(target))
        group = target.closest("fieldset[id]")  # a message about a group names the fieldset
        if not _missing(group) and group.id.startswith(f"{self.name}-"):
            self.touched.add(group.id[len(self.name) + 1 :])
        if not _missing(target.closest("[data-rows]")):
            self.touched.add("rows")  # "add at least one activity" is about the whole list

    def _edited(self, event):
        self._touch(event)
        self.run()

    def _left(self, event):
        """Leaving a field shows its message (without waiting for the next keystroke)."""
        self._touch(event)
        if self.outcome is not None:
            self.show(self.outcome)

    def _submitted(self, event):
        """Calculate (or Enter): every message shows, and the first field in error takes focus."""
        event.preventDefault()
        self.show_all = True
        self.run()
        first = self.form.querySelector("[aria-invalid=true]")
        if not _missing(first):
            first.focus()

    def _renumber_touched(self, removed):
        """Row ``removed`` is gone and the rows after it moved up one."""
        moved = set()
        for key in self.touched:
            number, _, rest = key.removeprefix("row-").partition("-")
            if not key.startswith("row-") or not number.isdigit() or int(number) < removed:
                moved.add(key)
            elif int(number) > removed:
                moved.add(f"row-{int(number) - 1}-{rest}")
        self.touched = moved

    def run(self, event=None):
        values, rows = self.read()
        self._show_parts(values)
        try:
            outcome = self.compute(values, rows) if not _missing(self.rows_box) else self.compute(values)
        except Exception:  # a bug, not bad input: say so on the page and in the console
            window.console.error(traceback.format_exc())
            self.status.textContent = (
                "Something went wrong in the calculator; the details are in the console."
            )
            self.status.dataset.state = "error"
            return
        self.show(outcome)
        self.save_url(values, rows)

    # ---- parts shown only for one choice (data-when="mode=agenda")
    def _show_parts(self, values):
        for part in self.form.querySelectorAll("[data-when]"):
            field, _, wanted = part.dataset.when.partition("=")
            part.hidden = values.get(field, "") != wanted

    # ---- the URL keeps the inputs (never the private ones)
    def _shared(self, node):
        return node.name and not node.hasAttribute("data-private")

    def _unchanged(self, node):
        if node.type in ("radio", "checkbox"):
            return node.checked == node.defaultChecked
        if node.tagName == "SELECT":  # a select has no defaultValue: its options know
            return all(option.selected == option.defaultSelected for option in node.options)
        return node.value == node.defaultValue

    def save_url(self, values, rows):
        params = window.URLSearchParams.new()
        for node in self.form.querySelectorAll("input, select, textarea"):
            if not self._shared(node) or not _missing(node.closest("[data-row]")):
                continue
            if not _missing(node.closest("[data-when][hidden]")) or self._unchanged(node):
                continue  # only what the visitor chose or typed, for the choice in use
            name = node.name
            if not params.has(name):  # kept even when emptied or unticked
                params.set(name, values.get(name, ""))
        private = {n.name for n in self.form.querySelectorAll("[data-row] [data-private]")}
        for row in rows:
            for key, value in row.items():
                if key not in private:
                    params.append(f"row.{key}", value)
        if not _missing(self.rows_box) and not rows:
            params.set("rows", "0")
        query = params.toString()
        url = window.location.pathname + (f"?{query}" if query else "") + window.location.hash
        window.history.replaceState(None, "", url)

    def _url_controls(self):
        """Field name -> the form's controls outside the row list that a URL may set."""
        controls = {}
        for node in self.form.querySelectorAll("input, select, textarea"):
            if self._shared(node) and _missing(node.closest("[data-row]")):
                controls.setdefault(node.name, []).append(node)
        return controls

    def _row_url_controls(self):
        """The controls of one row (from its template) that a URL may set."""
        template = self.rows_box.querySelector("template")
        return [n for n in template.content.querySelectorAll("input, select, textarea") if self._shared(n)]

    def restore_url(self):
        params = window.URLSearchParams.new(window.location.search)
        entries = ((entry[0], entry[1]) for entry in params.entries())  # read lazily: a URL may be huge
        controls = self._url_controls()
        fields = field_choices(_control(node) for nodes in controls.values() for node in nodes)
        row_fields = (
            None if _missing(self.rows_box) else field_choices(map(_control, self._row_url_controls()))
        )
        restored = restore(entries, fields, row_fields)
        for name, value in restored.values.items():
            self.touched.add(name)  # the link chose it: a message about it shows at once
            for node in controls[name]:
                _set(node, value)
        if restored.rows is not None:
            for row in self._row_nodes():
                row.remove()
            for number, values in enumerate(restored.rows, start=1):
                self.add_row(values=values)
                self.touched.update(f"row-{number}-{key}" for key in values)

    # ---- repeatable rows (numbered by position: row n's ids hold n)
    def _new_row(self, number, values):
        holder = document.createElement("div")
        holder.innerHTML = self.rows_box.querySelector("template").innerHTML.replace("__N__", str(number))
        row = holder.firstElementChild
        for node in row.querySelectorAll("input, select, textarea"):
            if node.name in values:
                _set(node, values[node.name])
        return row

    def add_row(self, event=None, values=None):
        row = self._new_row(len(self._row_nodes()) + 1, values or {})
        self.rows_box.querySelector("[data-row-list]").append(row)
        if not _missing(event):
            first = row.querySelector("input, select")
            if not _missing(first):
                first.focus()
            self.run()
        return row

    def remove_row(self, button):
        row = button.closest("[data-row]")
        if _missing(row):
            return
        index = int(row.dataset.row) - 1
        row.remove()
        self._renumber_touched(index + 1)
        self.touched.add("rows")
        rest = self._row_nodes()
        for number, node in enumerate(rest, start=1):
            if node.dataset.row != str(number):  # rebuilt from the template with its values
                node.replaceWith(self._new_row(number, self._fields(node, skip_rows=False)))
        rest = self._row_nodes()
        target = (
            rest[min(index, len(rest) - 1)].querySelector("input, select")
            if rest
            else self.rows_box.querySelector("[data-action=add-row]")
        )
        if not _missing(target):
            target.focus()
        self.run()

    # ---- the worksheet
    def _worksheet_fragment(self):
        return worksheet_fragment(self.outcome, datetime.date.today().isoformat(), window.location.href)

    def print_worksheet(self, event=None):
        if self.outcome is None or not self.outcome.ok:
            return
        sheet = document.getElementById("calc-worksheet-print")
        if _missing(sheet):
            sheet = _element("div", id="calc-worksheet-print", **{"class": "calc-worksheet"})
            document.body.append(sheet)
        sheet.innerHTML = self._worksheet_fragment()
        document.body.classList.add("printing-worksheet")
        window.print()

    def download_worksheet(self, event=None):
        if self.outcome is None or not self.outcome.ok:
            return
        text = worksheet_document(self.outcome, datetime.date.today().isoformat(), window.location.href)
        self._save(text, "text/html", self.worksheet_file)

    def download_calendar(self, event=None):
        """The Outcome's dates as an .ics file, stamped now (the same events and UIDs as the CLI's)."""
        if self.outcome is None or not self.outcome.ok or not self.outcome.calendar:
            return
        calendar = self.outcome.calendar
        stamp = datetime.datetime.now(datetime.UTC)
        self._save(calendar.text(stamp), "text/calendar", calendar.filename)

    def _save(self, text, media_type, filename):
        """Hand the visitor a file made here; nothing leaves the browser."""
        blob = window.Blob.new(
            to_js([text]), to_js({"type": media_type}, dict_converter=window.Object.fromEntries)
        )
        url = window.URL.createObjectURL(blob)
        link = _element("a", href=url, download=filename)
        document.body.append(link)
        link.click()
        link.remove()
        window.setTimeout(create_proxy(lambda: window.URL.revokeObjectURL(url)), 1000)

    # ---- wiring
    def start(self):
        try:
            self.restore_url()
        except Exception:  # a bug: say so in the console, and start with the page's own values
            window.console.error(traceback.format_exc())
        _on(self.form, "input", self._edited)
        _on(self.form, "change", self._edited)
        _on(self.form, "focusout", self._left)
        _on(self.form, "submit", self._submitted)
        _on(self.form, "click", self._clicked)
        _on(self.panel, "click", self._clicked)
        _on(window, "afterprint", lambda event: document.body.classList.remove("printing-worksheet"))
        self.status.textContent = "Ready: results update as you type."
        self.status.dataset.state = "ready"
        self.run()

    def _clicked(self, event):
        button = event.target.closest("[data-action]")
        if _missing(button):
            return
        action = button.dataset.action
        if action == "add-row":
            self.add_row(event)
        elif action == "remove-row":
            self.remove_row(button)
        elif action == "print":
            self.print_worksheet()
        elif action == "download":
            self.download_worksheet()
        elif action == "calendar":
            self.download_calendar()


def mount(name, compute):
    """Wire the form ``#<name>-form`` to ``compute`` and show its results as they change."""
    calculator = Calculator(name, compute)
    calculator.start()
    return calculator
