"""`python -m services.cli` is `launchwatch`."""

import sys

from services.cli import main

sys.exit(main())
