"""Creates console accounts: `python -m operators.admin add alice --role supervisor`.

The first supervisor must come from here; supervisors can then see the audit log and
reassign cases. The password is read from the terminal (or `OPERATOR_PASSWORD`, for scripts),
never from the command line, where it would stay in the shell history.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys

from operators.auth import Accounts
from operators.store import ROLES, CaseStore


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m operators.admin", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    add = commands.add_parser("add", help="add an operator or a supervisor")
    add.add_argument("username")
    add.add_argument("--role", choices=ROLES, default="operator")
    args = parser.parse_args(argv)
    password = os.environ.get("OPERATOR_PASSWORD") or getpass.getpass(f"Password for {args.username}: ")
    try:
        Accounts(CaseStore()).add(args.username, password, args.role, actor="admin command")
    except ValueError as error:
        print(f"not added: {error}", file=sys.stderr)
        return 1
    print(f"added {args.username} ({args.role})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
