"""A tracker store that fails makes the turn fail, so that the channel keeps the message.

Rasa wraps every tracker store in a `FailSafeTrackerStore`, which swallows failures: a failed
read starts the conversation afresh (its language, its open case, its question forgotten), a
failed write keeps the turn in memory only, lost at the next restart, and both log the error,
which can quote the SQL and with it the person's message. Here the error is raised instead:
the turn fails, the Telegram and Twilio channels keep the message and hand it over again
(`channels.inbox`), and REST answers 503 so that its client sends it again.
"""

from __future__ import annotations

import asyncio

from rasa.core.tracker_store import FailSafeTrackerStore
from sanic import Blueprint, Sanic


def _raise(error: Exception) -> None:
    raise error


def fail_loudly(agent: object) -> None:
    """Makes the agent's tracker store raise its errors (idempotent)."""
    store = getattr(agent, "tracker_store", None)
    if isinstance(store, FailSafeTrackerStore):
        store._on_tracker_store_error = _raise


def when_started(blueprint: Blueprint) -> None:
    """Applies `fail_loudly` once the server has started: Rasa has loaded its agent by then."""

    async def start(app: Sanic, loop: asyncio.AbstractEventLoop) -> None:
        fail_loudly(getattr(app.ctx, "agent", None))

    blueprint.listener("after_server_start")(start)
