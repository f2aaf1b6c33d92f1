"""The console's way to the person: through Rasa's HTTP API, on the conversation's own channel.

An operator's reply is a bot event added to the conversation with the channel as output
channel and side effects executed, so the channel's connector sends it; closing a case runs
`action_handoff_end` the same way, so the bot takes over in the person's language.
"""

from __future__ import annotations

import os
from urllib.parse import quote

import httpx

DELIVERY_TIMEOUT = 15.0


class DeliveryError(Exception):
    """Rasa did not take the message; the reason is safe to show to the operator."""


class RasaClient:
    def __init__(self, url: str, token: str, timeout: float = DELIVERY_TIMEOUT) -> None:
        self.url = url.rstrip("/")
        self.token = token
        self.timeout = timeout

    @classmethod
    def from_env(cls) -> RasaClient:
        return cls(os.environ.get("RASA_URL", "http://127.0.0.1:5005"), os.environ.get("RASA_API_TOKEN", ""))

    def _post(self, path: str, channel: str, payload: object, extra: dict[str, str] | None = None) -> None:
        params = {"output_channel": channel, "token": self.token, **(extra or {})}
        try:
            reply = httpx.post(f"{self.url}{path}", params=params, json=payload, timeout=self.timeout)
        except httpx.HTTPError as error:
            raise DeliveryError(f"the assistant could not be reached ({type(error).__name__})") from None
        if reply.status_code >= 300:
            raise DeliveryError(f"the assistant refused the message (HTTP {reply.status_code})")

    def send(self, conversation_id: str, channel: str, text: str) -> None:
        """Sends an operator's words to the person, recorded in the conversation as the bot's."""
        event = {"event": "bot", "text": text, "metadata": {"from_operator": True}}
        path = f"/conversations/{quote(conversation_id, safe='')}/tracker/events"
        self._post(path, channel, [event], {"execute_side_effects": "true"})

    def end_handoff(self, conversation_id: str, channel: str) -> None:
        path = f"/conversations/{quote(conversation_id, safe='')}/execute"
        self._post(path, channel, {"name": "action_handoff_end"})
