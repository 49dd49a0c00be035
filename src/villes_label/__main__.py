"""``python -m villes_label``: see `villes_label.cli`."""

from __future__ import annotations

import sys

from villes_label.cli import main

if __name__ == "__main__":
    sys.exit(main())
