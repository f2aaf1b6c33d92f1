"""The rate limiter's arithmetic, on a clock the test moves."""

from __future__ import annotations

from channels.rate_limit import MAX_SENDERS, Limits, RateLimiter, Verdict


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_flood_gets_one_warning_then_silence_and_others_are_untouched() -> None:
    clock = Clock()
    limits = Limits(per_sender_per_minute=6, per_sender_burst=3, per_endpoint_burst=10_000)
    limiter = RateLimiter(limits, clock)
    verdicts = [limiter.check("flooder", "hello") for _ in range(50)]
    assert verdicts[:3] == [Verdict.ALLOW] * 3
    assert verdicts[3] == Verdict.WARN and set(verdicts[4:]) == {Verdict.DROP}
    assert limiter.check("someone else", "hello") == Verdict.ALLOW
    clock.now += 10  # one message a ten seconds comes back
    assert limiter.check("flooder", "hello") == Verdict.ALLOW
    assert limiter.check("flooder", "hello") == Verdict.WARN  # a new flood is told again, once


def test_a_danger_message_goes_through_a_senders_limit_a_few_times() -> None:
    limiter = RateLimiter(Limits(per_sender_burst=1, urgent_per_minute=2), Clock())
    assert limiter.check("p", "hi") == Verdict.ALLOW
    danger = "they took my passport and say I owe them money"
    assert [limiter.check("p", danger) for _ in range(3)] == [Verdict.ALLOW, Verdict.ALLOW, Verdict.WARN]


def test_the_endpoint_limit_makes_everyone_wait_for_a_moment() -> None:
    clock = Clock()
    limiter = RateLimiter(Limits(per_endpoint_per_second=2, per_endpoint_burst=2), clock)
    assert [limiter.check(f"s{i}") for i in range(3)] == [Verdict.ALLOW, Verdict.ALLOW, Verdict.BUSY]
    clock.now += 0.5
    assert limiter.check("s9") == Verdict.ALLOW


def test_the_table_of_senders_is_bounded() -> None:
    limiter = RateLimiter(Limits(per_endpoint_burst=10**9, per_endpoint_per_second=10**9), Clock())
    for i in range(MAX_SENDERS + 10):
        limiter.check(f"s{i}")
    assert limiter.tracked == MAX_SENDERS


def test_limits_come_from_credentials_and_ignore_other_keys() -> None:
    limits = Limits.from_credentials({"per_sender_burst": "4", "max_chars": 4096, "token": "x"})
    assert limits.per_sender_burst == 4 and limits.per_sender_per_minute == Limits().per_sender_per_minute


def test_a_dropped_flood_uses_none_of_the_endpoints_capacity() -> None:
    limits = Limits(per_sender_burst=2, per_endpoint_burst=4, per_endpoint_per_second=0.001)
    limiter = RateLimiter(limits, Clock())
    verdicts = [limiter.check("flooder", "hello") for _ in range(1000)]
    assert verdicts.count(Verdict.ALLOW) == 2 and verdicts.count(Verdict.WARN) == 1
    assert limiter.check("someone else", "hello") == Verdict.ALLOW
