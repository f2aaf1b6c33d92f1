"""SMS through Twilio, for feature phones: numbered menus, answers cut to a few segments with
MORE for the rest, STOP and START in every supported language. In `credentials.yml`:

    channels.sms.SmsInput:
      account_sid: ${TWILIO_ACCOUNT_SID}
      auth_token: ${TWILIO_AUTH_TOKEN}
      number: ${TWILIO_SMS_NUMBER}
      public_url: ${TWILIO_SMS_WEBHOOK_URL}
      max_segments: 3
"""

from __future__ import annotations

from typing import Any

from rasa.core.channels.channel import InputChannel, OutputChannel

from channels import sms_text
from channels.menus import MenuMemory
from channels.pipeline import Inbound
from channels.rate_limit import Limits, RateLimiter
from channels.twilio_common import TwilioInput, TwilioOutput, TwilioSettings
from common.channel_state import ChannelState
from common.vocabulary import MORE
from nlu.commands import command_intent

DEFAULT_MAX_SEGMENTS = 3
MORE_SUFFIX = "(... MORE)"
"""Language-neutral on purpose: the bot's own texts tell people, in their language, to reply MORE."""


class SmsOutput(TwilioOutput):
    @classmethod
    def name(cls) -> str:
        return "sms"

    def __init__(
        self, settings: TwilioSettings, state: ChannelState, menus: MenuMemory, max_segments: int
    ) -> None:
        super().__init__(settings, state, menus)
        self.max_segments = max_segments

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        """One SMS of at most `max_segments` segments; the rest waits for MORE."""
        head, rest = sms_text.cut(text, self.max_segments, MORE_SUFFIX)
        self.state.keep_rest(recipient_id, rest)
        await self.deliver(recipient_id, body=head)


class SmsInput(TwilioInput):
    prefix = "sms"

    @classmethod
    def name(cls) -> str:
        return "sms"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        max_segments = int((credentials or {}).get("max_segments") or DEFAULT_MAX_SEGMENTS)
        limits = RateLimiter(Limits.from_credentials(credentials))
        return cls(TwilioSettings.from_credentials(credentials, cls.name()), max_segments, limits)

    def __init__(
        self,
        settings: TwilioSettings,
        max_segments: int = DEFAULT_MAX_SEGMENTS,
        limits: RateLimiter | None = None,
    ) -> None:
        super().__init__(settings, limits)
        self.max_segments = max_segments

    def get_output_channel(self) -> OutputChannel:
        return SmsOutput(self.settings, self.state, self.menus, self.max_segments)

    async def intercept(self, inbound: Inbound) -> bool:
        """MORE sends what an over-long SMS left over; only when nothing is left does the bot hear it."""
        rest = self.state.take_rest(inbound.sender) if command_intent(inbound.text) == MORE else None
        if rest:
            await self.get_output_channel().send_text_message(inbound.sender, rest)
        return bool(rest)
