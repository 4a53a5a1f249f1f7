"""Page glue for /calculator/: read the form, run the engine, show the result.

Runs under PyScript on the site's own Pyodide. The engine (``calc``) is the same
code the ``ceu`` command runs, unpacked from the site's calc.zip. This is the
only module that touches the page.
"""

from pyodide.ffi import create_proxy
from pyscript import document

from calc import CreditInputError, iacet_ceus
from calc.numbers import show

#: Engine field -> the input element it came from, so messages sit beside the field.
FIELD_INPUTS = {"total_minutes": "minutes", "excluded_minutes": "excluded"}


def element(element_id):
    return document.getElementById(element_id)


def show_result(hours="\N{EN DASH}", ceus="\N{EN DASH}", message="", invalid_field=None):
    element("result-hours").textContent = hours
    element("result-ceus").textContent = ceus
    element("calc-message").textContent = message
    for field, input_id in FIELD_INPUTS.items():
        node = element(input_id)
        if field == invalid_field:
            node.setAttribute("aria-invalid", "true")
        else:
            node.removeAttribute("aria-invalid")


def recalculate(event=None):
    minutes = element("minutes").value.strip()
    excluded = element("excluded").value.strip() or "0"
    if not minutes:
        show_result(message="Enter the total minutes of the event.")
        return
    try:
        result = iacet_ceus(minutes, excluded)
    except CreditInputError as error:
        label = "Total minutes" if error.field == "total_minutes" else "Excluded minutes"
        show_result(message=f"{label}: {error.message}.", invalid_field=error.field)
        return
    show_result(show(result.contact_hours), str(result.ceus), result.note)


def keep_on_page(event):
    """Enter in a field must not submit the form and reload the page."""
    event.preventDefault()


form = element("calc-form")
form.addEventListener("input", create_proxy(recalculate))
form.addEventListener("submit", create_proxy(keep_on_page))
status = element("calc-status")
status.textContent = "Ready: results update as you type."
status.setAttribute("data-state", "ready")
recalculate()
