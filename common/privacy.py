"""Pseudonyms and masks: how people's addresses are hidden from everything but their channel.

Pure functions, importable anywhere (the channels, the actions, the console).
"""

from __future__ import annotations

import hashlib
import hmac


def pseudonym(channel_prefix: str, address: str, key: bytes) -> str:
    """A stable id for an address that reveals nothing of it without the key."""
    digest = hmac.new(key, f"{channel_prefix}:{address}".encode(), hashlib.sha256).hexdigest()
    return f"{channel_prefix}-{digest[:24]}"


def mask(address: str) -> str:
    """What an operator may see of a phone number or chat id: its start and its last two."""
    if len(address) <= 5:
        return "*" * len(address)
    return address[:3] + "*" * (len(address) - 5) + address[-2:]
