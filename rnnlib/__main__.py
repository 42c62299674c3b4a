"""``python -m rnnlib``: see :mod:`rnnlib.cli`."""
import sys

from .cli import main

sys.exit(main())
