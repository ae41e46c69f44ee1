"""python -m gokernels: the same as the gokernels command."""

import sys

from gokernels.cli import main

sys.exit(main())
