"""`python -m trackside.bench [--quick] [--json FILE] [--only NAME ...]`."""

import sys

from trackside.cli import main

sys.exit(main(["bench", *sys.argv[1:]]))
