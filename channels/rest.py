"""A REST channel that validates its input and lets in only who may use it.

Rasa's own `RestInput` answers a malformed body with a 500 or an empty list and logs the
message text when processing fails; for people in danger that text must not reach a log.
Same URL and reply format: `POST /webhooks/rest/webhook` with `{"sender", "message"}`.

REST is for trying the bot and for integrations, and anyone who reaches it can choose any
`sender`. Without a configured token (`REST_TOKEN`) it answers only clients on this machine
that came through no proxy, so `make run` and curl keep working; with one, every request must
carry it (`Authorization: Bearer …` or `?token=`). Besides each sender, each remote client
address has its own rate limit, so rotating `sender` does not pass the limits. A client's
`metadata.contact` is dropped: operators see only contacts the channels themselves vouch for.
"""

from __future__ import annotations

import hmac
import ipaddress
import json
from typing import Any

from sanic import response
from sanic.request import Request
from sanic.response import HTTPResponse

from channels.pipeline import Inbound, Outcome, PipelineInput, Refused
from channels.rate_limit import Limits, RateLimiter, Verdict
from channels.text import MAX_TEXT_CHARS, to_rasa_text

DEFAULT_MAX_CHARS = MAX_TEXT_CHARS
MAX_SENDER_CHARS = 128
PROXY_HEADERS = ("forwarded", "x-forwarded-for", "x-real-ip")
CLIENT_LIMITS = Limits(
    per_sender_per_minute=60, per_sender_burst=30, per_endpoint_per_second=1e9, per_endpoint_burst=1e9
)
"""Per client address: a few people trying the bot from one office, not a flood of senders."""
TRUSTED_METADATA = frozenset({"contact"})
"""Metadata only a channel may set: a REST client's is dropped."""


def max_body_bytes(max_chars: int) -> int:
    """The largest body a message of `max_chars` characters needs (a JSON escape takes 12 bytes)."""
    return max_chars * 12 + 4096


def parse_body(body: bytes, max_chars: int) -> tuple[str, str, dict[str, Any]]:
    """Validates a webhook body and returns `(sender, text, metadata)`; raises `Refused`."""
    if len(body) > max_body_bytes(max_chars):
        raise Refused(413, f"body too large; a message may have at most {max_chars} characters")
    try:
        payload = json.loads(body.decode("utf-8"))
    except UnicodeDecodeError:
        raise Refused(400, "body is not valid UTF-8") from None
    except (json.JSONDecodeError, RecursionError):  # RecursionError: "[[[[..." nested too deep
        raise Refused(400, "body is not valid JSON") from None
    if not isinstance(payload, dict):
        raise Refused(400, "body must be a JSON object")
    sender = payload.get("sender")
    if not isinstance(sender, str) or not sender.strip() or len(sender) > MAX_SENDER_CHARS:
        raise Refused(400, f"'sender' must be a non-empty string of at most {MAX_SENDER_CHARS} chars")
    message = payload.get("message", "")
    if not isinstance(message, str):
        raise Refused(400, "'message' must be a string")
    if len(message) > max_chars:
        raise Refused(413, f"'message' may have at most {max_chars} characters")
    metadata = payload.get("metadata") or {}
    if not isinstance(metadata, dict):
        raise Refused(400, "'metadata' must be a JSON object")
    metadata = {k: v for k, v in metadata.items() if k not in TRUSTED_METADATA}
    return sender.strip(), to_rasa_text(message), metadata


def client_address(request: Request) -> str | None:
    """The remote address a request came from, None for a local client. Through a proxy on this
    machine it is the last forwarded address: the one the proxy added (earlier ones are the
    client's own say)."""
    peer = request.ip or ""
    if not _loopback(peer):
        return peer
    forwarded = request.headers.get("x-forwarded-for", "").split(",")[-1].strip()
    return forwarded or None


def _loopback(address: str) -> bool:
    try:
        return ipaddress.ip_address(address).is_loopback
    except ValueError:
        return False


def authorised(request: Request, token: str | None) -> bool:
    """With a token, the request must carry it; without one, only a local client may come in."""
    if not token:
        return _loopback(request.ip or "") and not any(h in request.headers for h in PROXY_HEADERS)
    given = request.headers.get("authorization", "").removeprefix("Bearer ").strip()
    given = given or (request.args.get("token") or "")
    return hmac.compare_digest(given.encode(), token.encode())


class RestInput(PipelineInput):
    """Synchronous REST channel: the reply lists the bot's messages for this input."""

    @classmethod
    def name(cls) -> str:
        return "rest"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> RestInput:
        credentials = credentials or {}
        max_chars = int(credentials.get("max_chars") or DEFAULT_MAX_CHARS)
        limits = RateLimiter(Limits.from_credentials(credentials))
        return cls(max_chars=max_chars, limits=limits, token=str(credentials.get("token") or "") or None)

    def __init__(
        self,
        max_chars: int = DEFAULT_MAX_CHARS,
        limits: RateLimiter | None = None,
        token: str | None = None,
        client_limits: RateLimiter | None = None,
    ) -> None:
        super().__init__(limits)
        self.max_chars = max_chars
        self.client_limits = client_limits or RateLimiter(CLIENT_LIMITS)
        self.token = token

    def max_body_bytes(self) -> int:
        return max_body_bytes(self.max_chars)

    def authenticate(self, request: Request) -> None:
        if not authorised(request, self.token):
            if self.token:
                raise Refused(401, "a valid token is required")
            raise Refused(403, "without REST_TOKEN only local clients")

    def parse(self, request: Request) -> Inbound:
        sender, text, metadata = parse_body(request.body or b"", self.max_chars)
        client = client_address(request)  # a local client is not limited by address
        if client and self.client_limits.check(client, text) in (Verdict.WARN, Verdict.DROP):
            raise Refused(429, "too many messages from this address; wait a moment")
        return Inbound(sender, text, metadata)

    def reply(self, outcome: Outcome, messages: list[dict[str, Any]] | None = None) -> HTTPResponse:
        if outcome is Outcome.DROPPED:
            raise Refused(429, "too many messages; wait a moment")
        return response.json(messages or [])
