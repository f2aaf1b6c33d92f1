"""Where things live. Runtime data (conversations, cases, channel state) goes under `APP_VAR_DIR`,
`var/` by default; what the build makes (models, the knowledge index, caches) and generated
secrets always stay in the working tree's `var/`, shared by every run and test."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / "var"
"""Built artefacts: trained models, the knowledge index, cached embeddings."""
VAR_ENV = "APP_VAR_DIR"


def var_dir() -> Path:
    """Runtime data: `APP_VAR_DIR`, else the working tree's `var/`."""
    return Path(os.environ.get(VAR_ENV) or BUILD)


def secrets_dir() -> Path:
    """Secrets generated once, when the environment gives none (this user only). In the working
    tree, not under `APP_VAR_DIR`: a copy of the data folder carries no key to read it."""
    return BUILD / "secrets"


def private_dir(path: Path) -> None:
    """Creates a folder only this user can read: it holds conversations and keys."""
    path.mkdir(parents=True, exist_ok=True)
    path.chmod(0o700)
