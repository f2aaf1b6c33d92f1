"""What a channel makes of a message that is not text: media and shared locations.

The bot reads only text, so media becomes the no-text intent ("I can only read text", in the
person's language), with the provider's own id of the file in the metadata: when a case is
open, the operator gets that id and can fetch the file from the provider; the bot downloads
nothing. A shared location becomes the country it lies in, found offline; the coordinates
go no further than this module.
"""

from __future__ import annotations

import json
from typing import Any

from nlu.places import country_at

MEDIA_KINDS = ("voice", "audio", "photo", "video", "document", "sticker")
_TWILIO_KINDS = {"audio": "voice", "image": "photo", "video": "video"}


def location_intent(latitude: float, longitude: float) -> str:
    """The message Rasa reads for a shared location: the country it lies in, if on the route."""
    country = country_at(latitude, longitude)
    return f"/inform_country{json.dumps({'country': country})}" if country else "/inform_country"


def media_metadata(kind: str, media_id: str) -> dict[str, Any]:
    """The metadata that keeps a media message's provider id for the operator."""
    return {"media": {"kind": kind if kind in MEDIA_KINDS else "document", "id": media_id[:200]}}


def twilio_location(form: dict[str, str]) -> str | None:
    """A WhatsApp location message (Twilio's `Latitude` and `Longitude` fields), as Rasa reads it."""
    try:
        return location_intent(float(form["Latitude"]), float(form["Longitude"]))
    except (KeyError, ValueError):
        return None


def twilio_media(form: dict[str, str]) -> dict[str, Any]:
    """The first attachment of a Twilio message: its kind and media id (the URL's last part)."""
    if not form.get("MediaUrl0"):
        return {}
    family = (form.get("MediaContentType0") or "").split("/", 1)[0]
    media_id = form["MediaUrl0"].rstrip("/").rsplit("/", 1)[-1]
    return media_metadata(_TWILIO_KINDS.get(family, "document"), media_id)
