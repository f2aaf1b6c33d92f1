"""WhatsApp through Twilio: numbered menus, the message SID kept as metadata (the profile name,
often a real name, is not kept anywhere), and the 24-hour customer-service window. Outside it
(an operator's late reply) WhatsApp refuses free text: the configured approved template is
sent instead, telling the person a message is waiting, and the message goes out as soon as
they write back. In
`credentials.yml`:

    channels.whatsapp.WhatsAppInput:
      account_sid: ${TWILIO_ACCOUNT_SID}
      auth_token: ${TWILIO_AUTH_TOKEN}
      number: ${TWILIO_WHATSAPP_NUMBER}          # whatsapp:+...
      public_url: ${TWILIO_WHATSAPP_WEBHOOK_URL}
      template_sid: ${TWILIO_WHATSAPP_TEMPLATE_SID}
"""

from __future__ import annotations

import time
from typing import Any

from rasa.core.channels.channel import InputChannel, OutputChannel

from channels.menus import MenuMemory
from channels.pipeline import Inbound
from channels.rate_limit import Limits, RateLimiter
from channels.twilio_common import TwilioInput, TwilioOutput, TwilioSettings
from common.channel_state import ChannelState

WINDOW_SECONDS = 24 * 3600


class WhatsAppOutput(TwilioOutput):
    @classmethod
    def name(cls) -> str:
        return "whatsapp"

    def __init__(
        self, settings: TwilioSettings, state: ChannelState, menus: MenuMemory, template_sid: str | None
    ) -> None:
        super().__init__(settings, state, menus)
        self.template_sid = template_sid

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        last = self.state.last_inbound(recipient_id)
        if last is None or time.time() - last < WINDOW_SECONDS:
            await self.deliver(recipient_id, body=text)
            return
        if not self.template_sid:
            reason = "outside WhatsApp's 24-hour window and no template is configured"
            self.state.record_failure(self.name(), recipient_id, reason)
            return
        self.state.hold_for_window(recipient_id, text)
        await self.deliver(recipient_id, content_sid=self.template_sid)


class WhatsAppInput(TwilioInput):
    prefix = "wa"

    @classmethod
    def name(cls) -> str:
        return "whatsapp"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        template = str((credentials or {}).get("template_sid") or "") or None
        limits = RateLimiter(Limits.from_credentials(credentials))
        return cls(TwilioSettings.from_credentials(credentials, cls.name()), template, limits)

    def __init__(
        self, settings: TwilioSettings, template_sid: str | None = None, limits: RateLimiter | None = None
    ) -> None:
        super().__init__(settings, limits)
        self.template_sid = template_sid

    def get_output_channel(self) -> OutputChannel:
        return WhatsAppOutput(self.settings, self.state, self.menus, self.template_sid)

    async def before_turn(self, inbound: Inbound, busy: bool) -> None:
        """The person is back in the window: first what waited for them."""
        await super().before_turn(inbound, busy)
        waiting = None if busy else self.state.take_held(inbound.sender)
        if waiting:
            await self.get_output_channel().send_text_message(inbound.sender, waiting)
