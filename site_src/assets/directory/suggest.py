"""Page glue for /directory/suggest/: read the form, check the row, show the results.

Runs under PyScript on the site's own Pyodide. The checks are ``directory.suggest``,
the same code as ``ceu directory validate``, unpacked from the site's directory.zip
with the schema and vocabularies beside it. This is the only module that touches
the page; it never puts a traceback on it.
"""

import asyncio
import datetime as dt
from pathlib import Path

from pyodide.ffi import create_proxy
from pyscript import document, window

DATA_DIR = Path("data")


def element(element_id):
    return document.getElementById(element_id)


def set_text(node, text):
    """Change the text only when it changes, so live regions do not repeat themselves."""
    if node.textContent != text:
        node.textContent = text


def say_status(state, text):
    status = element("suggest-status")
    set_text(status, text)
    status.setAttribute("data-state", state)


def fail(error):
    say_status(
        "error",
        f"The checker stopped ({type(error).__name__}: {error}). Reload the page, or use the "
        "issue form linked below: the maintainers check the row for you.",
    )


def today():
    """The validator on GitHub runs in UTC: a date is 'in the future' by the same clock."""
    return dt.datetime.now(dt.UTC).date()


class SuggestForm:
    def __init__(self):
        # Imported here so that a broken directory.zip is reported in the status, not as a traceback.
        from directory import suggest
        from directory.schema import load_schema

        self.suggest = suggest
        form = element("suggest-form")
        self.form = form
        self.repository = form.getAttribute("data-repository")
        self.data_path = form.getAttribute("data-data-path")
        self.schema = load_schema(DATA_DIR)
        self.vocabularies = suggest.read_vocabularies(DATA_DIR, self.schema, today())
        self.tables = {table.key: table for table in self.schema.listed}
        #: Columns whose messages are shown: edited ones, or all after "Check every field".
        self.touched = {key: set() for key in self.tables}
        self.copying = None
        self.proxies = [
            self.listen(form, "input", self.on_input),
            self.listen(form, "change", self.on_input),
            self.listen(form, "submit", self.on_submit),
            self.listen(element("suggest-copy"), "click", self.on_copy),
        ]

    @staticmethod
    def listen(node, kind, handler):
        proxy = create_proxy(handler)
        node.addEventListener(kind, proxy)
        return proxy

    # ------------------------------------------------------------------ reading the form

    def table(self):
        checked = self.form.querySelector('input[name="table"]:checked')
        key = checked.value if checked else ""
        return self.tables.get(key) or self.schema.listed[0]

    def control(self, table, column):
        return element(f"{table.key}-{column.name}")

    def values(self, table):
        values = {}
        for column in table.columns:
            node = self.control(table, column)
            if node is None:
                values[column.name] = ""
            elif node.tagName == "FIELDSET":
                boxes = node.querySelectorAll('input[type="checkbox"]:checked')
                values[column.name] = ";".join(box.value for box in boxes)
            else:
                values[column.name] = node.value
        return values

    # ------------------------------------------------------------------ showing the results

    def refresh(self):
        table = self.table()
        for key in self.tables:
            fieldset = element(f"suggest-fields-{key}")
            if key == table.key:
                fieldset.removeAttribute("hidden")
            else:
                fieldset.setAttribute("hidden", "")
        values = self.values(table)
        problems = self.suggest.check_suggestion(table, values, self.vocabularies, today())
        self.show_problems(table, problems)
        set_text(element("suggest-file"), table.file)
        set_text(element("suggest-edit-file"), table.file)
        row, box = self.suggest.csv_row(table, values), element("suggest-row")
        if box.value != row:
            box.value = row
            set_text(element("suggest-copy-status"), "")  # "Copied." was about the old row
        element("suggest-issue").setAttribute("href", self.suggest.issue_url(self.repository, table, values))
        element("suggest-edit").setAttribute(
            "href", self.suggest.edit_url(self.repository, table, self.data_path)
        )
        return problems

    def show_problems(self, table, problems):
        by_column = {}
        for problem in problems:
            by_column.setdefault(problem.field, []).append(problem)
        touched = self.touched[table.key]
        for column in table.columns:
            node = self.control(table, column)
            found = by_column.get(column.name, []) if column.name in touched else []
            lines = [
                f"{column.name}: {'warning: ' if p.severity == 'warning' else ''}{p.message}" for p in found
            ]
            set_text(element(f"{table.key}-{column.name}-error"), "\n".join(lines))
            invalid = any(p.severity == "error" for p in found)
            targets = (
                node.querySelectorAll('input[type="checkbox"]') if node.tagName == "FIELDSET" else [node]
            )
            for target in targets:
                if invalid:
                    target.setAttribute("aria-invalid", "true")
                else:
                    target.removeAttribute("aria-invalid")
        labels = {column.name: column.label for column in table.columns}
        errors = [p for p in problems if p.severity == "error"]
        summary = element("suggest-summary")
        if errors:
            named = []
            for problem in errors:
                label = labels.get(problem.field, problem.field)
                if label not in named:
                    named.append(label)
            hidden = [p for p in errors if p.field not in touched]
            text = (
                f"Not ready: {len(errors)} problem{'s' if len(errors) != 1 else ''} in "
                f"{', '.join(named)}. Each message is shown beside its field"
                + (" once you edit it or press “Check every field”." if hidden else ".")
            )
            state = "problems"
        else:
            text = (
                f"Ready: this {table.singular} row passes every check of ceu directory validate "
                "that one row can fail. Copy it or send it below."
            )
            state = "ok"
        summary.setAttribute("data-state", state)
        paragraph = summary.querySelector("p")
        set_text(paragraph, text)

    # ------------------------------------------------------------------ events

    def on_input(self, event):
        try:
            target = event.target
            column = target.getAttribute("data-column") if target else None
            if column:
                self.touched[self.table().key].add(column)
            self.refresh()
        except Exception as error:
            fail(error)

    def on_submit(self, event):
        """Enter or "Check every field": show every message, and go to the first problem."""
        event.preventDefault()
        try:
            table = self.table()
            self.touched[table.key].update(table.column_names)
            problems = [p for p in self.refresh() if p.severity == "error"]
            if problems:
                column = table.columns[table.column_names.index(problems[0].field)]
                node = self.control(table, column)
                if node.tagName == "FIELDSET":
                    node = node.querySelector("input")
                node.focus()
            else:
                element("suggest-row").focus()
        except Exception as error:
            fail(error)

    def on_copy(self, event):
        self.copying = asyncio.ensure_future(self.copy_row())  # kept so it is not collected early

    async def copy_row(self):
        note = element("suggest-copy-status")
        row = element("suggest-row")
        try:
            await window.navigator.clipboard.writeText(row.value)
            set_text(note, "Copied.")
        except Exception:
            row.focus()
            row.select()
            set_text(
                note,
                "This browser did not let the page copy: the row is selected, so press Ctrl+C (⌘C on a Mac).",
            )


try:
    page = SuggestForm()
    page.refresh()
    say_status("ready", "Ready: each field is checked as you type.")
except Exception as error:
    fail(error)
