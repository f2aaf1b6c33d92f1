"""The running stack with every channel on, its APIs faked: shared by the channel tests."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from bot.launcher import Settings, Stack, ensure_model
from tests.e2e.common import free_port
from tests.fake_apis import FakeApis
from tests.rasa.channel_driver import (
    SECRET,
    SMS_NUMBER,
    TEMPLATE,
    TOKEN,
    TWILIO_SID,
    TWILIO_TOKEN,
    WHATSAPP_NUMBER,
)


@pytest.fixture(scope="session")
def fake() -> Iterator[FakeApis]:
    apis = FakeApis()
    apis.url = apis.start()
    yield apis
    apis.stop()


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory, fake: FakeApis) -> Iterator[Stack]:
    var = tmp_path_factory.mktemp("var")
    rasa_port = free_port()
    base = f"http://127.0.0.1:{rasa_port}/webhooks"
    env = {
        "TELEGRAM_TOKEN": TOKEN, "TELEGRAM_WEBHOOK_SECRET": SECRET, "TELEGRAM_API_URL": fake.url,
        "TWILIO_ACCOUNT_SID": TWILIO_SID, "TWILIO_AUTH_TOKEN": TWILIO_TOKEN, "TWILIO_API_URL": fake.url,
        "TWILIO_SMS_NUMBER": SMS_NUMBER, "TWILIO_SMS_WEBHOOK_URL": f"{base}/sms/webhook",
        "TWILIO_WHATSAPP_NUMBER": WHATSAPP_NUMBER, "TWILIO_WHATSAPP_WEBHOOK_URL": f"{base}/whatsapp/webhook",
        "TWILIO_WHATSAPP_TEMPLATE_SID": TEMPLATE, "SMS_MAX_SEGMENTS": "2",
    }
    settings = Settings(
        var=var, rasa_port=rasa_port, actions_port=free_port(), console_port=free_port(),
        tracker_db=var / "tracker.db", extra_env=env,
    )
    with Stack(settings, ensure_model(settings)) as running:
        assert running.channels_off == []
        yield running


@pytest.fixture
def http(stack: Stack) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=stack.settings.rasa_url, timeout=60) as client:
        yield client


