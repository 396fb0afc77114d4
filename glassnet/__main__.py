"""``python -m glassnet ...`` runs the command line (see ``glassnet.cli``)."""
import sys

from .cli import main

sys.exit(main())
