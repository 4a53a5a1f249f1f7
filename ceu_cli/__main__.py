"""``python -m ceu_cli``: the same as the ``ceu`` console script."""

import sys

from ceu_cli.main import main

sys.exit(main())
