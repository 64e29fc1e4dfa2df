"""``python -m sklearn_mi``: the same as the ``sklearn-mi`` command."""

import sys

from .cli import main

sys.exit(main())
