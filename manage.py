#!/usr/bin/env python
"""Django's command-line utility for administrative tasks.

Set-up problems (settings, an unreachable or unmigrated database) end in one
line instead of a traceback: see newsroom/cli.py.
"""

import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    from newsroom.cli import execute

    execute(sys.argv)


if __name__ == "__main__":
    main()
