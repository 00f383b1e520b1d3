import sys

from citynet.cli import main

sys.exit(main())
