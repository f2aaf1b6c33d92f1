"""One way in for every channel: the steps REST, Telegram, SMS and WhatsApp all take, in order.

size → authentication → parse → rate verdict → register the sender → the channel's own answer
(SMS's MORE) → numbered menu → dedup (kept until the tracker has it) → guarded hand-over to Rasa.

A channel subclasses `PipelineInput` and writes only what is its own: how a request proves
where it came from, how its body becomes an `Inbound` message, and what its caller is answered.
Messaging channels name each delivery, so a delivery is kept (`channels.inbox`) before Rasa
sees it and counts as done only once the tracker has it; REST, which has no delivery id,
answers in the request and its client sends again after a 503.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from abc import ABC, abstractmethod
from asyncio import CancelledError
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, ClassVar

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from channels.inbox import LEASE_SECONDS, Inbox
from channels.menus import MenuMemory
from channels.rate_limit import RateLimiter, Verdict
from channels.text import MAX_BODY_BYTES
from common.channel_state import ChannelState
from common.vocabulary import SLOW_DOWN
from nlu import risk
from rasa_plugins.store_failures import when_started

logger = logging.getLogger(__name__)

OnNewMessage = Callable[[UserMessage], Awaitable[Any]]
BUSY_DELAY = 2.0
"""A channel whose caller never retries keeps a message over the endpoint's limit this long."""


def prepared(on_new_message: OnNewMessage) -> OnNewMessage:
    """Rasa's handler, after the slow part of our NLU (`nlu.risk.prepare`) is done in a worker
    thread: Rasa runs the NLU on its event loop, where it would hold up everyone else."""

    async def handle(message: UserMessage) -> Any:
        await asyncio.to_thread(risk.prepare, message.text or "")
        return await on_new_message(message)

    return handle


@dataclass(frozen=True)
class Inbound:
    """A message as its channel read it."""

    sender: str
    """Who, as Rasa knows them: a pseudonym on the messaging channels."""
    text: str
    metadata: dict[str, Any] = field(default_factory=dict)
    delivery_id: str | None = None
    """The provider's id of the delivery; None where the request itself is answered (REST)."""
    address: str | None = None
    """Where replies go (a chat id, a phone number), kept in the channel state only."""
    raw: Any = None
    """The provider's own object, for the channel's own steps (a Telegram update, a Twilio form)."""


class Refused(Exception):
    """A request refused, with the HTTP status and the message its caller gets."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.headers = headers or {}

    def response(self) -> HTTPResponse:
        return response.json({"error": str(self)}, status=self.status, headers=self.headers)


class Outcome(Enum):
    IGNORED = "ignored"  # the request holds no message (a Telegram update of another kind)
    DROPPED = "too many messages"  # over the sender's limit again: no answer at all
    DUPLICATE = "already processed"  # a delivery received before
    ANSWERED = "answered"  # the channel answered it itself (SMS's MORE)
    TAKEN = "ok"  # Rasa has it, or it waits in the inbox until Rasa takes it


BUSY = Refused(503, "the assistant is busy; send the message again in a moment", {"Retry-After": "2"})


class PipelineInput(InputChannel, ABC):
    """An input channel whose requests all go through the same steps (`take`)."""

    prefix: ClassVar[str] = ""
    """The pseudonym prefix of the channel's senders."""
    busy_waits: ClassVar[bool] = False
    """Over the endpoint's limit, keep the message and hand it over in a moment (the caller
    never retries) instead of asking the caller to send it again."""

    def __init__(self, limits: RateLimiter | None = None, state: ChannelState | None = None) -> None:
        """Without `state` the channel has no deliveries to keep: it answers in the request."""
        self.limits = limits or RateLimiter()
        self.state = state
        self.menus = MenuMemory()
        self.inbox = Inbox(state, self.name(), self.get_output_channel, self.after_turn) if state else None

    # What each channel does its own way.

    def max_body_bytes(self) -> int:
        return MAX_BODY_BYTES

    def authenticate(self, request: Request) -> None:
        """Raises `Refused` unless the request proves it comes from the channel's provider."""

    @abstractmethod
    def parse(self, request: Request) -> Inbound | None:
        """The message in the request, None if it holds none; raises `Refused` for a bad one."""

    async def intercept(self, inbound: Inbound) -> bool:
        """Answers a message without Rasa; True if it did (Rasa never hears it)."""
        return False

    async def before_turn(self, inbound: Inbound, busy: bool) -> None:
        """What the channel does once a new delivery is kept, before Rasa has it."""

    def after_turn(self, sender: str, text: str) -> None:
        """What the channel does once Rasa has a message."""

    def reply(self, outcome: Outcome, messages: list[dict[str, Any]] | None = None) -> HTTPResponse:
        """The caller's answer; `messages` are the bot's replies when the request is answered."""
        return response.json({"status": outcome.value})

    # The same for every channel.

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        on_new_message = prepared(on_new_message)
        webhook = Blueprint(f"webhook_{type(self).__name__}", __name__)
        when_started(webhook)  # a failing tracker store fails the turn: the message is kept

        @webhook.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            try:
                return await self.take(request, on_new_message)
            except Refused as refusal:
                return refusal.response()

        if self.inbox is not None:
            self.inbox.attach(webhook, on_new_message)
        return webhook

    async def take(self, request: Request, on_new_message: OnNewMessage) -> HTTPResponse:
        """Every step from the request to Rasa; raises `Refused` for a request refused."""
        if len(request.body or b"") > self.max_body_bytes():
            raise Refused(413, "request too large")
        self.authenticate(request)
        inbound = self.parse(request)
        if inbound is None:
            return self.reply(Outcome.IGNORED)
        verdict = self.limits.check(inbound.sender, inbound.text)
        if verdict is Verdict.DROP:
            return self.reply(Outcome.DROPPED)
        busy = verdict is Verdict.BUSY
        if busy and not self.busy_waits:
            raise BUSY
        if verdict is Verdict.WARN:
            inbound = dataclasses.replace(inbound, text=SLOW_DOWN)
        if inbound.address is not None and self.state is not None:
            self.state.register(self.prefix, self.name(), inbound.address)
        if await self.intercept(inbound):
            return self.reply(Outcome.ANSWERED)
        inbound = dataclasses.replace(inbound, text=self.menus.resolve(inbound.sender, inbound.text))
        if self.inbox is None or inbound.delivery_id is None:
            return self.reply(Outcome.TAKEN, await self._answer_now(inbound, on_new_message))
        if not self.inbox.receive(
            inbound.delivery_id, inbound.sender, inbound.text, inbound.metadata,
            BUSY_DELAY if busy else LEASE_SECONDS,
        ):
            return self.reply(Outcome.DUPLICATE)
        await self.before_turn(inbound, busy)
        if not busy:
            args = (inbound.delivery_id, inbound.sender, inbound.text, inbound.metadata)
            await self.inbox.hand_over(*args, on_new_message)
        return self.reply(Outcome.TAKEN)  # taken, or kept until Rasa takes it

    async def _answer_now(self, inbound: Inbound, on_new_message: OnNewMessage) -> list[dict[str, Any]]:
        """Rasa's turn inside the request; its failure is a 503, never a bare 500 with the text
        in the log."""
        collector = CollectingOutputChannel()
        message = UserMessage(
            inbound.text, collector, inbound.sender, input_channel=self.name(), metadata=inbound.metadata
        )
        try:
            await on_new_message(message)
        except CancelledError:
            logger.error("%s message timed out before the bot answered", self.name())
            raise Refused(503, "the assistant did not answer in time") from None
        except Exception as error:  # noqa: BLE001 - whatever failed, the client may send again
            logger.error("%s message failed: %s", self.name(), type(error).__name__)
            raise Refused(503, "the assistant failed to process the message") from None
        self.menus.remember(inbound.sender, collector.messages)
        return collector.messages
