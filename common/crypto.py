"""Case texts encrypted at rest (Fernet): a copied database or spool file reveals no message.

The keys come from `CASE_STORE_KEYS` (comma-separated Fernet keys, the newest first), from the
file named by `CASE_STORE_KEY_FILE` (the same, one per line or comma-separated: a secrets
mount outside `var/`, so that a copy of `var/` cannot read the cases), or from a key generated
once into `var/secrets/case_store_key` (readable by this user only, but beside the data it
protects). Rotating: `python -m operators.keys` (`operators/keys.py`).
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from cryptography.fernet import Fernet, MultiFernet

from common.paths import secrets_dir
from common.secret_files import stored_secret

KEYS_ENV = "CASE_STORE_KEYS"
KEY_FILE_ENV = "CASE_STORE_KEY_FILE"
KEY_FILE = secrets_dir() / "case_store_key"


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
