"""Reading the JSON that users give (course plans, eligibility checklists, recertification trackers).

One message for each way such text can be unusable, so no front end ever sees a
parser's own exception: not JSON at all, numbers too long to read, or nesting so
deep that the parser gives up (``[[[[...`` a hundred thousand levels deep).
"""

from __future__ import annotations

import json
from typing import Any

from calc.errors import CreditInputError


def load_json(text: str, field: str) -> Any:
    """The parsed value, or CreditInputError naming ``field`` and, where known, the line."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise CreditInputError(field, f"not valid JSON: {error.msg} (line {error.lineno})") from None
    except RecursionError:
        raise CreditInputError(field, "not valid JSON here: nested far too deeply") from None
    except ValueError as error:  # e.g. an integer of more than 4300 digits
        raise CreditInputError(field, f"not valid JSON here: {error}") from None
