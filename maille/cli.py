"""``maille <command>``: a thin wrapper over ``manage.py``.

``maille demo``, ``maille worker`` (the task worker), ``maille scheduler``,
``maille serve``, and every Django command (``maille migrate``…).
"""

from __future__ import annotations

import os
import sys

ALIASES = {"worker": "db_worker", "serve": "runserver"}


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "maille.settings")
    from django.core.management import execute_from_command_line

    argv = list(sys.argv)
    if len(argv) > 1 and argv[1] in ALIASES:
        argv[1] = ALIASES[argv[1]]
    argv[0] = "maille"
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
