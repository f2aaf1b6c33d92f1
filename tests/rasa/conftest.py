"""The running stack with every channel on, its APIs faked: shared by the channel tests."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from bot.launcher import Stack, ensure_model
from tests.fake_apis import FakeApis
from tests.rasa.channel_driver import TEMPLATE, channel_settings


@pytest.fixture(scope="session")
def fake() -> Iterator[FakeApis]:
    apis = FakeApis()
    apis.url = apis.start()
    yield apis
    apis.stop()


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory, fake: FakeApis) -> Iterator[Stack]:
    var = tmp_path_factory.mktemp("var")
    settings = channel_settings(var, fake.url, TWILIO_WHATSAPP_TEMPLATE_SID=TEMPLATE)
    with Stack(settings, ensure_model(settings)) as running:
        assert running.channels_off == []
        yield running


@pytest.fixture
def http(stack: Stack) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=stack.settings.rasa_url, timeout=60) as client:
        yield client


