"""The `eban` command: Django's management commands plus eban's own.

`eban import-matters FILE` is the same as `eban import_matters FILE`: dashes in a
command name are accepted for the commands that have underscores.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "eban.settings.dev")
    argv = list(sys.argv if argv is None else argv)
    argv[0] = "eban"
    if len(argv) > 1 and not argv[1].startswith("-"):
        argv[1] = argv[1].replace("-", "_")
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
