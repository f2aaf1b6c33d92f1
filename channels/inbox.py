"""A message counts as delivered only once Rasa has it; until then it waits in the channel state.

A webhook keeps each new delivery (`ChannelState.receive`) before it hands the message to
Rasa, and lets it go when Rasa has taken it. If Rasa fails (its tracker store down, a lock that
timed out) or the process dies in between, the message waits and is handed over again in the
background, with backoff, although the provider has had its "200 OK" long ago: Twilio never
retries a messaging webhook, and a retried Telegram update is a delivery already received. A
message Rasa already holds (the process died after the turn was saved) is not given twice:
each message carries its delivery's id into the tracker as its `message_id`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import OutputChannel, UserMessage
from sanic import Blueprint, Sanic

from common.channel_state import ChannelState, Waiting

logger = logging.getLogger(__name__)

RETRY_SECONDS = (2.0, 10.0, 30.0, 120.0, 600.0)
"""The wait before each new attempt; the last one repeats until Rasa takes the message."""
LEASE_SECONDS = 120.0
"""How long a message being handed over is left to its turn before it counts as failed."""
POLL_SECONDS = 2.0

OnNewMessage = Callable[[UserMessage], Awaitable[Any]]
HasMessage = Callable[[str, str], Awaitable[bool]]
"""Whether the tracker of a sender already holds the message with this id."""


def message_id(channel: str, delivery_id: str) -> str:
    return f"{channel}:{delivery_id}"


class Inbox:
    """One channel's messages on their way to Rasa."""

    def __init__(
        self,
        state: ChannelState,
        channel: str,
        output: Callable[[], OutputChannel],
        after: Callable[[str, str], None] | None = None,
    ) -> None:
        """`after(sender, text)`: what the channel does once Rasa has a message (STOP takes effect)."""
        self.state = state
        self.channel = channel
        self.output = output
        self.after = after

    def receive(
        self,
        delivery_id: str,
        sender: str,
        text: str,
        metadata: dict[str, Any],
        due_in: float = LEASE_SECONDS,
    ) -> bool:
        """Keeps the message durably; False for a delivery received before."""
        message = {"text": text, "metadata": metadata}
        return self.state.receive(self.channel, delivery_id, sender, message, due_in)

    async def hand_over(
        self,
        delivery_id: str,
        sender: str,
        text: str,
        metadata: dict[str, Any],
        on_new_message: OnNewMessage,
        attempts: int = 0,
    ) -> bool:
        """Gives a received message to Rasa; if Rasa fails, it waits for the next attempt. A
        message behind an earlier one of the same person that failed waits for it."""
        if self.state.waits_behind(self.channel, delivery_id):
            self.state.retry_later(self.channel, delivery_id, 0.0, failed=False)
            return False
        message = UserMessage(
            text, self.output(), sender, input_channel=self.channel, metadata=metadata,
            message_id=message_id(self.channel, delivery_id),
        )
        try:
            await on_new_message(message)
        except Exception as error:  # noqa: BLE001 - whatever failed, the message waits
            delay = RETRY_SECONDS[min(attempts, len(RETRY_SECONDS) - 1)]
            channel, reason = self.channel, type(error).__name__
            logger.warning("%s: Rasa did not take a message (%s); again in %.0f s", channel, reason, delay)
            self.state.retry_later(self.channel, delivery_id, delay)
            return False
        self.delivered(delivery_id, sender, text)
        return True

    def delivered(self, delivery_id: str, sender: str, text: str) -> None:
        self.state.delivered(self.channel, delivery_id)
        if self.after is not None:
            self.after(sender, text)

    async def redeliver(self, on_new_message: OnNewMessage, has_message: HasMessage) -> int:
        """Hands every due message to Rasa (unless it already has it); returns how many it took."""
        taken = 0
        for waiting in self.state.due(self.channel, LEASE_SECONDS):
            text, metadata = waiting.message["text"], waiting.message.get("metadata") or {}
            there = await self._already_there(waiting, has_message)
            if there is None:  # the tracker store cannot tell now: ask again later
                self.state.retry_later(self.channel, waiting.delivery_id, RETRY_SECONDS[0])
                continue
            if there:
                self.delivered(waiting.delivery_id, waiting.pseudonym, text)
                continue
            args = (waiting.delivery_id, waiting.pseudonym, text, metadata, on_new_message, waiting.attempts)
            taken += await self.hand_over(*args)
        return taken

    async def _already_there(self, waiting: Waiting, has_message: HasMessage) -> bool | None:
        """Whether Rasa holds the message already; None when its tracker store cannot say."""
        try:
            return await has_message(waiting.pseudonym, message_id(self.channel, waiting.delivery_id))
        except Exception:  # noqa: BLE001 - whatever failed, the answer is "not known now"
            return None

    def attach(self, blueprint: Blueprint, on_new_message: OnNewMessage) -> None:
        """Redelivers in the background for as long as the server runs."""
        task: dict[str, asyncio.Task[None]] = {}

        async def start(app: Sanic, loop: asyncio.AbstractEventLoop) -> None:
            task["loop"] = loop.create_task(self._redeliver_forever(on_new_message, _tracker_check(app)))

        async def stop(app: Sanic, loop: asyncio.AbstractEventLoop) -> None:
            if "loop" in task:
                task["loop"].cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task["loop"]

        blueprint.listener("after_server_start")(start)
        blueprint.listener("before_server_stop")(stop)

    async def _redeliver_forever(self, on_new_message: OnNewMessage, has_message: HasMessage) -> None:
        while True:
            try:
                await self.redeliver(on_new_message, has_message)
            except Exception as error:  # noqa: BLE001 - the channel state was busy: next round
                logger.warning("%s: redelivery round failed (%s)", self.channel, type(error).__name__)
            await asyncio.sleep(POLL_SECONDS)


def _tracker_check(app: Sanic) -> HasMessage:
    """Asks Rasa's tracker store whether a sender's conversation holds a message id."""

    async def has_message(sender: str, wanted: str) -> bool:
        agent = getattr(app.ctx, "agent", None)
        if agent is None or agent.tracker_store is None:
            return False
        tracker = await agent.tracker_store.retrieve(sender)
        return tracker is not None and any(getattr(e, "message_id", None) == wanted for e in tracker.events)

    return has_message
