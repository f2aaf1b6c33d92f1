"""The conversation lock against the machine's Redis: two replicas' stores, one conversation."""

from __future__ import annotations

import asyncio
import time
import uuid

from rasa.utils.endpoints import EndpointConfig

from rasa_plugins.lock_store import ConversationLockStore

REDIS_URL = "redis://127.0.0.1:6379/1"


def replica(prefix: str) -> ConversationLockStore:
    return ConversationLockStore(EndpointConfig(url=REDIS_URL, key_prefix=prefix))


async def contend(stores: list[ConversationLockStore], conversation: str, turns: int) -> tuple[int, int]:
    """Every store handles `turns` messages of the conversation at once; returns (done, most inside)."""
    inside, most, done = 0, 0, 0

    async def turn(store: ConversationLockStore) -> None:
        nonlocal inside, most, done
        async with store.lock(conversation, lock_lifetime=30):
            inside += 1
            most = max(most, inside)
            await asyncio.sleep(0.005)  # the turn reads and writes the tracker here
            inside -= 1
            done += 1

    await asyncio.gather(*(turn(store) for store in stores for _ in range(turns)))
    return done, most


def test_two_replicas_never_hold_one_conversation_at_once() -> None:
    prefix = f"t{uuid.uuid4().hex[:8]}"
    assert asyncio.run(contend([replica(prefix), replica(prefix)], "someone", 25)) == (50, 1)


def test_without_redis_it_is_rasas_lock_for_one_process() -> None:
    store = ConversationLockStore(EndpointConfig(url="", key_prefix="rasa"))
    assert store.redis is None
    assert asyncio.run(contend([store], "someone", 3)) == (3, 1)


def test_a_dead_replicas_lock_expires_and_only_its_holder_releases_it() -> None:
    prefix = f"t{uuid.uuid4().hex[:8]}"
    first, second = replica(prefix), replica(prefix)
    key = f"{prefix}:lock:someone"

    async def scenario() -> tuple[float, bytes, bytes, bytes | None]:
        """The first replica takes the lock and hangs past its lifetime; the second waits for it
        as Rasa would, asking every 20 ms for up to 5 s (then LockError): it gets the lock when,
        and only when, the first's has expired. Returns (waited, both tokens, the key's after
        the first's late release)."""
        started = time.monotonic()
        stalled = first.lock("someone", lock_lifetime=0.3)
        await stalled.__aenter__()
        held = await first.redis.get(key)
        assert held and await first.redis.pttl(key) != -1  # taken, and it expires (-1: never)
        async with second.lock("someone", lock_lifetime=5):
            waited = time.monotonic() - started
            taken = await second.redis.get(key)
            await stalled.__aexit__(None, None, None)  # its late release
            return waited, held, taken, await second.redis.get(key)

    waited, held, taken, after = asyncio.run(scenario())
    assert waited >= 0.29 and taken != held  # not before the first's lock expired
    assert after == taken  # the late release left the second's lock alone
