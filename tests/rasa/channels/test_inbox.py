"""A message is delivered only once Rasa has it: the channels' webhooks in a real Sanic server,
driven as Telegram and Twilio drive them, with Rasa (`on_new_message`) failing on purpose."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
from cryptography.fernet import Fernet
from sanic import Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse
from twilio.request_validator import RequestValidator

from channels import inbox as inbox_module
from channels.rate_limit import Limits, RateLimiter
from channels.sms import SmsInput
from channels.telegram import TelegramInput
from channels.twilio_common import TwilioSettings
from common import crypto
from common.channel_state import ChannelState
from tests.fake_apis import FakeApis
from tests.rasa.channel_driver import (
    SECRET,
    SMS_NUMBER,
    TOKEN,
    TWILIO_SID,
    TWILIO_TOKEN,
    FlakyRasa,
    serving,
    telegram_update,
)
from tests.stack_common import free_port


@pytest.fixture(autouse=True)
def var(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("APP_VAR_DIR", str(tmp_path))
    monkeypatch.setenv(crypto.KEYS_ENV, Fernet.generate_key().decode())
    monkeypatch.setattr(inbox_module, "RETRY_SECONDS", (0.0,))
    monkeypatch.setattr(inbox_module, "POLL_SECONDS", 0.05)
    crypto.cipher.cache_clear()
    yield tmp_path
    crypto.cipher.cache_clear()


async def until(condition: Callable[[], bool], seconds: float = 10.0) -> None:
    for _ in range(int(seconds / 0.05)):
        if condition():
            return
        await asyncio.sleep(0.05)
    raise AssertionError("not within the time allowed")


def sms_input(public_url: str, limits: Limits | None = None) -> SmsInput:
    settings = TwilioSettings(TWILIO_SID, TWILIO_TOKEN, SMS_NUMBER, public_url, api_url="http://127.0.0.1:9")
    return SmsInput(settings, limits=RateLimiter(limits or Limits()))


def signed_sms(url: str, sid: str, body: str) -> tuple[dict[str, str], dict[str, str]]:
    form = {
        "MessageSid": sid, "AccountSid": TWILIO_SID, "From": "+38762000077", "To": SMS_NUMBER, "Body": body,
    }
    return form, {"X-Twilio-Signature": RequestValidator(TWILIO_TOKEN).compute_signature(url, form)}


def test_a_telegram_update_rasa_failed_on_is_delivered_later_and_once() -> None:
    async def scenario() -> None:
        rasa = FlakyRasa(failures=1)
        channel = TelegramInput(TOKEN, SECRET)
        update = telegram_update(700_100_001, "my passport was taken")
        headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
        async with serving(channel, rasa) as url, httpx.AsyncClient() as http:
            first = await http.post(url, json=update, headers=headers)
            retried = await http.post(url, json=update, headers=headers)  # Telegram's retry
            await until(lambda: len(rasa.taken) == 1)
            await asyncio.sleep(0.3)
        assert first.status_code == 200 and retried.status_code == 200
        assert [m.text for m in rasa.taken] == ["my passport was taken"]
        assert rasa.taken[0].message_id == f"telegram:{update['update_id']}"

    asyncio.run(scenario())


def test_an_sms_rasa_failed_on_is_delivered_later() -> None:
    async def scenario() -> None:
        rasa = FlakyRasa(failures=2)
        port_url = "http://127.0.0.1/webhooks/sms/webhook"
        async with serving(sms_input(port_url), rasa) as url, httpx.AsyncClient() as http:
            form, headers = signed_sms(port_url, "SM" + "1" * 32, "they hold us in a house")
            reply = await http.post(url, data=form, headers=headers)
            await until(lambda: len(rasa.taken) == 1)
        assert reply.status_code == 200
        assert rasa.taken[0].text == "they hold us in a house"

    asyncio.run(scenario())


def test_an_sms_over_the_endpoints_limit_waits_instead_of_being_dropped(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("channels.pipeline.BUSY_DELAY", 0.2)

    async def scenario() -> None:
        rasa = FlakyRasa(failures=0)
        port_url = "http://127.0.0.1/webhooks/sms/webhook"
        channel = sms_input(port_url, Limits(per_endpoint_per_second=0.001, per_endpoint_burst=0))
        async with serving(channel, rasa) as url, httpx.AsyncClient() as http:
            form, headers = signed_sms(port_url, "SM" + "2" * 32, "where can I sleep tonight")
            reply = await http.post(url, data=form, headers=headers)
            assert reply.status_code == 200 and rasa.taken == []
            await until(lambda: len(rasa.taken) == 1)
        assert rasa.taken[0].text == "where can I sleep tonight"

    asyncio.run(scenario())


def test_a_message_rasa_already_saved_is_not_given_twice(var: Path) -> None:
    async def scenario() -> None:
        state = ChannelState(var / "channels.db", key=b"k")
        box = inbox_module.Inbox(state, "sms", lambda: None)  # type: ignore[arg-type, return-value]
        assert box.receive("SM1", "sms-a", "hello", {}, due_in=0)
        assert not box.receive("SM1", "sms-a", "hello", {}, due_in=0)  # a retried webhook
        rasa = FlakyRasa(failures=0)

        async def saved(sender: str, message_id: str) -> bool:
            return message_id == "sms:SM1"

        assert await box.redeliver(rasa, saved) == 0
        assert rasa.taken == [] and state.due("sms", 0) == []

    asyncio.run(scenario())


def test_waiting_messages_are_encrypted_and_forgotten_with_the_person(var: Path) -> None:
    state = ChannelState(var / "channels.db", key=b"k")
    name = state.register("sms", "sms", "+38762000088")
    assert state.receive("sms", "SM2", name, {"text": "a secret", "metadata": {}}, due_in=0)
    assert b"a secret" not in (var / "channels.db").read_bytes() + _wal(var)
    assert [w.message["text"] for w in state.due("sms", 60)] == ["a secret"]
    state.forget(name)
    state.retry_later("sms", "SM2", 0)
    assert state.due("sms", 60) == []


def _wal(var: Path) -> bytes:
    wal = var / "channels.db-wal"
    return wal.read_bytes() if wal.exists() else b""


def test_polling_confirms_an_update_only_once_the_webhook_took_it(monkeypatch: pytest.MonkeyPatch) -> None:
    from telegram import Bot

    from channels import telegram_polling

    monkeypatch.setattr(telegram_polling, "RETRY_SECONDS", 0.05)
    fake = FakeApis()
    fake.url = fake.start()
    update = telegram_update(700_100_002, "we are in the forest near the border")
    fake.updates.append(update)
    statuses, bodies = [503, 500, 200], []

    async def webhook(request: Request) -> HTTPResponse:
        bodies.append(request.json)
        return response.json({}, status=statuses.pop(0))

    async def scenario() -> int:
        Sanic.test_mode = True
        app = Sanic(f"webhook_{uuid.uuid4().hex}")
        app.add_route(webhook, "/webhook", methods=["POST"])
        port = free_port()
        server = await app.create_server(port=port, return_asyncio_server=True, access_log=False)
        await server.startup()
        try:
            bot = Bot(TOKEN, base_url=f"{fake.url}/bot")
            url = f"http://127.0.0.1:{port}/webhook"
            return await telegram_polling.forward_updates(bot, url, SECRET, rounds=4)
        finally:
            await server.close()

    try:
        assert asyncio.run(scenario()) == 1
    finally:
        fake.stop()
    assert [b["update_id"] for b in bodies] == [update["update_id"]] * 3 and fake.updates == []


def test_a_persons_next_message_waits_behind_one_rasa_failed_on() -> None:
    async def scenario() -> None:
        rasa = FlakyRasa(failures=1)
        channel = TelegramInput(TOKEN, SECRET)
        first, second = telegram_update(700_100_003, "first"), telegram_update(700_100_003, "second")
        headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
        async with serving(channel, rasa) as url, httpx.AsyncClient() as http:
            for update in (first, second):
                assert (await http.post(url, json=update, headers=headers)).status_code == 200
            await until(lambda: len(rasa.taken) == 2)
        assert [m.text for m in rasa.taken] == ["first", "second"]

    asyncio.run(scenario())
