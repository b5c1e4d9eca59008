"""The `cchc` console script: Django's manage.py under the product's name."""

import os
import sys

# Django command names cannot contain "-"; these are the names the documentation uses.
ALIASES = {"import-plan": "import_plan"}


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cchc.settings")
    from django.core.management import execute_from_command_line

    if len(sys.argv) > 1:
        sys.argv[1] = ALIASES.get(sys.argv[1], sys.argv[1])
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
