"""Secrets the environment does not give, generated once into `var/secrets/` (this user only).

Several processes may start at once and each may be first: the secret is written whole to a
private temporary file and linked into place, so a reader never sees half of one and the first
writer wins.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from pathlib import Path


def stored_secret(path: Path, make: Callable[[], str]) -> str:
    """The secret kept in `path`, made with `make` the first time."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.parent.chmod(0o700)
        draft = path.with_name(f".{path.name}.{os.getpid()}")
        fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(make())
        with contextlib.suppress(FileExistsError):
            os.link(draft, path)
        draft.unlink()
    return path.read_text().strip()
