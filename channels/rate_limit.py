"""Rate limits on every inbound endpoint: a flood gets one polite "slow down", then silence.

Each channel keeps a token bucket per sender and one for the whole endpoint. A sender over
their limit is told once (the `slow_down` intent, answered in their language) and then
dropped without a reply until their bucket refills; a refused message costs a dictionary
lookup, so a flood cannot delay other people's answers. An endpoint over its own limit is
busy: the caller is asked to retry (Telegram does, by itself). A message whose words alone
show danger (`nlu.risk.pattern_level`) is let through a sender's limit, a few times a minute.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from typing import Any

from nlu.risk import pattern_level

MAX_SENDERS = 50_000
"""Buckets kept; the least recently seen sender's is forgotten first (a full bucket anyway)."""


class Verdict(Enum):
    ALLOW = "allow"
    WARN = "warn"  # over the limit for the first time: answer "slow down"
    DROP = "drop"  # over the limit again: no answer at all
    BUSY = "busy"  # the endpoint as a whole is over its limit: ask the caller to retry


@dataclass
class _Bucket:
    tokens: float
    at: float
    warned: bool = False

    def take(self, now: float, per_second: float, burst: float) -> bool:
        self.tokens = min(burst, self.tokens + (now - self.at) * per_second)
        self.at = now
        if self.tokens >= 1:
            self.tokens -= 1
            return True
        return False


@dataclass(frozen=True)
class Limits:
    per_sender_per_minute: float = 12
    per_sender_burst: float = 8
    per_endpoint_per_second: float = 30
    per_endpoint_burst: float = 120
    urgent_per_minute: float = 3
    """Messages showing danger let through a sender's limit."""

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> Limits:
        given = {k: float(v) for k, v in (credentials or {}).items() if k in cls.__dataclass_fields__ and v}
        return cls(**given)


class RateLimiter:
    """Per-sender and per-endpoint token buckets (one instance per channel, per process)."""

    def __init__(self, limits: Limits | None = None, clock: Callable[[], float] = time.monotonic) -> None:
        self.limits = limits or Limits()
        self._clock = clock
        self._senders: OrderedDict[str, _Bucket] = OrderedDict()
        self._urgent_buckets: OrderedDict[str, _Bucket] = OrderedDict()
        self._endpoint = _Bucket(self.limits.per_endpoint_burst, clock())

    @property
    def tracked(self) -> int:
        """How many senders have a bucket (bounded by `MAX_SENDERS`)."""
        return len(self._senders)

    def _bucket(self, table: OrderedDict[str, _Bucket], sender: str, burst: float, now: float) -> _Bucket:
        bucket = table.pop(sender, None) or _Bucket(burst, now)
        table[sender] = bucket
        if len(table) > MAX_SENDERS:
            table.popitem(last=False)
        return bucket

    def check(self, sender: str, text: str = "") -> Verdict:
        """What to do with this sender's message now.

        Only a message that will reach the bot counts against the endpoint's limit: a flood
        that is dropped uses none of the capacity other people's messages need.
        """
        limits, now = self.limits, self._clock()
        bucket = self._bucket(self._senders, sender, limits.per_sender_burst, now)
        taken = bucket.take(now, limits.per_sender_per_minute / 60, limits.per_sender_burst)
        if taken or self._urgent(sender, text, now):
            verdict = Verdict.ALLOW
        elif bucket.warned:
            return Verdict.DROP
        else:
            verdict = Verdict.WARN
        if not self._endpoint.take(now, limits.per_endpoint_per_second, limits.per_endpoint_burst):
            if taken:
                bucket.tokens += 1  # not used: the message is refused for now
            return Verdict.BUSY
        bucket.warned = verdict is Verdict.WARN
        return verdict

    def _urgent(self, sender: str, text: str, now: float) -> bool:
        """A message over the sender's limit whose words show danger, within its own allowance."""
        if not text or pattern_level(text) not in ("high", "critical"):
            return False
        per_minute = self.limits.urgent_per_minute
        bucket = self._bucket(self._urgent_buckets, sender, per_minute, now)
        return bucket.take(now, per_minute / 60, per_minute)
