"""Reading the JSON that users give (course plans, eligibility checklists, recertification trackers).

One message for each way such text can be unusable, so no front end ever sees a
parser's own exception: not JSON at all, numbers too long to read, or nesting so
deep that the parser gives up (``[[[[...`` a hundred thousand levels deep).
"""

from __future__ import annotations

import json
import re
from typing import Any

from calc.errors import CreditInputError

#: No file these tools read nests deeper than a few levels. The bound is checked before parsing:
#: the parser recurses once per level, and in the browser it runs out of stack (which ends the
#: page's Python for good) long before Python's own recursion limit.
MAX_NESTING = 100
#: A JSON string (brackets inside it do not count) or a bracket.
_STRING_OR_BRACKET = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]')


def _too_deep(text: str) -> bool:
    depth = 0
    for match in _STRING_OR_BRACKET.finditer(text):
        token = match.group()
        if token in "[{":
            depth += 1
            if depth > MAX_NESTING:
                return True
        elif token in "]}":
            depth -= 1
    return False


def load_json(text: str, field: str) -> Any:
    """The parsed value, or CreditInputError naming ``field`` and, where known, the line."""
    if _too_deep(text):
        raise CreditInputError(
            field, f"not valid JSON here: nested far too deeply (over {MAX_NESTING} levels)"
        )
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise CreditInputError(field, f"not valid JSON: {error.msg} (line {error.lineno})") from None
    except RecursionError:
        raise CreditInputError(field, "not valid JSON here: nested far too deeply") from None
    except ValueError as error:  # e.g. an integer of more than 4300 digits
        raise CreditInputError(field, f"not valid JSON here: {error}") from None
