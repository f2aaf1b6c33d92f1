"""Key rotation for what is encrypted at rest: case texts, the spool and its quarantine, and
the messages waiting in the channels' store.

    python -m operators.keys new-key    # print a new Fernet key
    python -m operators.keys rotate     # after putting the new key first in CASE_STORE_KEYS

Put the new key first, keep the old ones after it, restart, rotate, then drop the old keys.
"""

from __future__ import annotations

import argparse
import sys

from cryptography.fernet import Fernet
from sqlalchemy import select
from sqlalchemy.orm.attributes import flag_modified

from common.channel_state import ChannelState, default_path
from operators.spool import Spool
from operators.store import CaseMessage, CaseStore


def rotate(url: str | None = None) -> int:
    """Re-encrypts everything encrypted at rest with the newest key; returns how many texts."""
    store = CaseStore(url)
    with store.transaction() as session:
        messages = session.scalars(select(CaseMessage)).all()
        for message in messages:
            flag_modified(message, "text")  # written again, so encrypted with the newest key
    waiting = ChannelState().reencrypt() if default_path().exists() else 0
    return len(messages) + Spool().reencrypt() + waiting


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m operators.keys", description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["rotate", "new-key"])
    args = parser.parse_args(argv)
    if args.command == "new-key":
        print(Fernet.generate_key().decode())
    else:
        print(f"{rotate()} case texts, spooled records and waiting messages re-encrypted with the newest key")
    return 0


if __name__ == "__main__":
    sys.exit(main())
