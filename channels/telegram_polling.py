"""Telegram without a public URL: fetch updates by long polling and hand each one to our own
webhook, exactly as Telegram would (secret token included), so both ways run the same code.

    make telegram-polling      # next to `make run`, with TELEGRAM_TOKEN and TELEGRAM_WEBHOOK_SECRET set
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os
import sys

import httpx
from telegram import Bot
from telegram.error import NetworkError

from channels.telegram import SECRET_HEADER

logger = logging.getLogger(__name__)

RETRY_SECONDS = 2.0
"""After the webhook failed (busy, Rasa down), the same update is tried again this much later."""


async def _forward(http: httpx.AsyncClient, webhook_url: str, secret: str, update: dict) -> int | None:
    """The webhook's HTTP status for one update, or None if it could not be reached."""
    try:
        reply = await http.post(webhook_url, json=update, headers={SECRET_HEADER: secret})
    except httpx.HTTPError as error:
        logger.warning("the webhook is unreachable (%s)", type(error).__name__)
        return None
    if reply.status_code >= 500 or reply.status_code == 429:
        logger.warning("the webhook could not take an update now: HTTP %s", reply.status_code)
    return reply.status_code


async def forward_updates(bot: Bot, webhook_url: str, secret: str, rounds: int | None = None) -> int:
    """Polls and forwards until stopped (or for `rounds` polls); returns how many the webhook took.

    An update is confirmed to Telegram (the offset moves past it) only once the webhook took it
    or refused it for good (4xx): after a failure it is fetched and forwarded again."""
    await bot.delete_webhook()  # Telegram gives no updates to polling while a webhook is set
    offset, forwarded, done = None, 0, 0
    async with httpx.AsyncClient(timeout=120) as http:
        while rounds is None or done < rounds:
            done += 1
            try:
                updates = await bot.get_updates(offset=offset, timeout=30)
            except NetworkError as error:
                logger.warning("polling failed (%s), retrying", type(error).__name__)
                await asyncio.sleep(5)
                continue
            for update in updates:
                status = await _forward(http, webhook_url, secret, update.to_dict())
                if status is None or status >= 500 or status == 429:
                    await asyncio.sleep(RETRY_SECONDS)  # the offset stays: Telegram keeps it for us
                    break
                if status >= 300:
                    logger.warning("the webhook refused an update for good: HTTP %s", status)
                offset, forwarded = update.update_id + 1, forwarded + (status < 300)
    return forwarded


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m channels.telegram_polling", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--rasa-url", default=os.environ.get("RASA_URL", "http://127.0.0.1:5005"))
    args = parser.parse_args(argv)
    token, secret = os.environ.get("TELEGRAM_TOKEN"), os.environ.get("TELEGRAM_WEBHOOK_SECRET")
    if not token or not secret:
        print("set TELEGRAM_TOKEN and TELEGRAM_WEBHOOK_SECRET (the same as for `make run`)", file=sys.stderr)
        return 2
    logging.basicConfig(level=logging.INFO)
    base = os.environ.get("TELEGRAM_API_URL", "https://api.telegram.org").rstrip("/")
    bot = Bot(token, base_url=f"{base}/bot")
    webhook = f"{args.rasa_url.rstrip('/')}/webhooks/telegram/webhook"
    print(f"Forwarding Telegram updates to {webhook}. Ctrl-C stops.", flush=True)
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(forward_updates(bot, webhook, secret))
    return 0


if __name__ == "__main__":
    sys.exit(main())
