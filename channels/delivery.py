"""Sending to a messaging API with retries: a busy or failing API is tried again with backoff;
a refusal (a blocked bot, a wrong number) is final and recorded where operators see it."""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Awaitable, Callable
from typing import Any

logger = logging.getLogger(__name__)

_PHONE = re.compile(r"\+?\d[\d ()-]{5,}\d")
"""An API's error may quote the address; operators see masked addresses only."""

ATTEMPTS = 4
BASE_DELAY = 0.5
MAX_DELAY = 30.0


async def deliver(
    send: Callable[[], Awaitable[Any]],
    retry_after: Callable[[Exception], float | None],
    attempts: int = ATTEMPTS,
) -> str | None:
    """Runs `send` until it succeeds; None then, else why it failed for good.

    `retry_after` says how long to wait before trying an exception's call again (the API's
    own hint, or the backoff when it is 0), or None when the failure is final.
    """
    for attempt in range(attempts):
        try:
            await send()
            return None
        except Exception as error:  # noqa: BLE001 - classified right here
            wait = retry_after(error)
            reason = f"{type(error).__name__}: {_PHONE.sub('[number]', str(error))[:200]}"
            if wait is None or attempt == attempts - 1:
                return reason
            delay = min(MAX_DELAY, wait or BASE_DELAY * 2**attempt)
            logger.info("delivery failed (%s), retrying in %.1f s", type(error).__name__, delay)
            await asyncio.sleep(delay)
    return "no attempt made"
