"""`python -m app.cli`: the `reprise` command."""

import sys

from app.cli import main

sys.exit(main())
