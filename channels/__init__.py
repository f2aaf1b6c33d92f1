"""Rasa input/output channels: REST (for trying and testing), Telegram, WhatsApp and SMS.

The HTTP libraries under the channels log every request at INFO: the URL (with Telegram's bot
token in it), and for twilio the body (message text and phone numbers). Our logs must hold
neither, so those loggers say only what goes wrong.
"""

import logging

for _name in ("httpx", "httpcore", "telegram", "twilio"):
    logging.getLogger(_name).setLevel(logging.WARNING)
