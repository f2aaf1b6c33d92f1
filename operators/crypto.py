"""Case texts encrypted at rest (Fernet): a copied database or spool file reveals no message.

The keys come from `CASE_STORE_KEYS` (comma-separated Fernet keys, the newest first), from the
file named by `CASE_STORE_KEY_FILE` (the same, one per line or comma-separated: a secrets
mount outside `var/`, so that a copy of `var/` cannot read the cases), or from a key generated
once into `var/secrets/case_store_key` (readable by this user only, but beside the data it
protects). Rotating: put a new key first, keep the old ones after it, run
`python -m operators.crypto rotate` (every case text, spooled record and quarantined record is
re-encrypted with the new key), then drop the old keys.
"""

from __future__ import annotations

import argparse
import os
import sys
from functools import lru_cache
from pathlib import Path

from cryptography.fernet import Fernet, MultiFernet
from sqlalchemy import Text, select
from sqlalchemy.orm.attributes import flag_modified
from sqlalchemy.types import TypeDecorator

from bot.secret_files import stored_secret

KEYS_ENV = "CASE_STORE_KEYS"
KEY_FILE_ENV = "CASE_STORE_KEY_FILE"
KEY_FILE = Path(__file__).resolve().parent.parent / "var" / "secrets" / "case_store_key"


@lru_cache(maxsize=1)
def cipher() -> MultiFernet:
    given = os.environ.get(KEYS_ENV, "")
    if not given and os.environ.get(KEY_FILE_ENV):
        given = Path(os.environ[KEY_FILE_ENV]).read_text(encoding="utf-8").replace("\n", ",")
    configured = [k.strip() for k in given.split(",") if k.strip()]
    keys = configured or [stored_secret(KEY_FILE, lambda: Fernet.generate_key().decode())]
    return MultiFernet([Fernet(key) for key in keys])


def encrypt(text: str) -> str:
    return cipher().encrypt(text.encode()).decode()


def decrypt(token: str) -> str:
    return cipher().decrypt(token.encode()).decode()


def reencrypt(token: bytes) -> bytes:
    """The same text under the newest key; raises `InvalidToken` if no configured key reads it."""
    return cipher().rotate(token)


class EncryptedText(TypeDecorator):
    """A text column stored encrypted and read back in clear."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: object) -> str | None:
        return None if value is None else encrypt(value)

    def process_result_value(self, value: str | None, dialect: object) -> str | None:
        return None if value is None else decrypt(value)


def rotate(url: str | None = None) -> int:
    """Re-encrypts with the newest key every case text, every record in the spool and its
    quarantine, and the texts waiting in the channels' store (what is encrypted at rest);
    returns how many."""
    from channels.state import ChannelState, default_path
    from operators.spool import Spool
    from operators.store import CaseMessage, CaseStore

    store = CaseStore(url)
    with store.transaction() as session:
        messages = session.scalars(select(CaseMessage)).all()
        for message in messages:
            flag_modified(message, "text")  # written again, so encrypted with the newest key
    waiting = ChannelState().reencrypt() if default_path().exists() else 0
    return len(messages) + Spool().reencrypt() + waiting


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m operators.crypto", description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["rotate", "new-key"])
    args = parser.parse_args(argv)
    if args.command == "new-key":
        print(Fernet.generate_key().decode())
    else:
        print(f"{rotate()} case texts, spooled records and waiting messages re-encrypted with the newest key")
    return 0


if __name__ == "__main__":
    sys.exit(main())
