"""The `icmc` command: Django's management commands with ICMC's settings (e.g. `icmc migrate`, `icmc demo`)."""

import os
import sys


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
    return 0
