"""The date the build treats as today.

Dates in the data may not lie in the future, and later statuses are "as of" the
build. ``OPENCEU_TODAY`` (YYYY-MM-DD) pins it so tests are reproducible.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping

ENV_VAR = "OPENCEU_TODAY"


def build_date(environ: Mapping[str, str] = os.environ) -> dt.date:
    pinned = environ.get(ENV_VAR, "").strip()
    if not pinned:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(pinned)
    except ValueError:
        raise ValueError(f"{ENV_VAR}={pinned!r} is not a date in the form YYYY-MM-DD") from None
