"""`zorgketen <service> <command> …`: the project's command line, one sub-command per service.

Each service that has commands offers them in `<service>.cli.main(argv) -> exit code`.
"""

from __future__ import annotations

import importlib
import sys

COMMANDS = {"berichten": "berichten.cli"}


def main() -> None:
    if len(sys.argv) < 2 or sys.argv[1] not in COMMANDS:
        print(f"usage: zorgketen {{{','.join(COMMANDS)}}} …", file=sys.stderr)
        raise SystemExit(2)
    module = importlib.import_module(COMMANDS[sys.argv[1]])
    raise SystemExit(module.main(sys.argv[2:]))


if __name__ == "__main__":
    main()
