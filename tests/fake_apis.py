"""A local stand-in for the Telegram Bot API and Twilio's REST API that records every request.

The channels are pointed at it by their base URL, as python-telegram-bot and twilio allow.
Failures can be queued (`fail_next`) to test retries and permanent refusals.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse


@dataclass
class Recorded:
    path: str
    fields: dict[str, str]

    @property
    def method(self) -> str:
        return self.path.rsplit("/", 1)[-1]


@dataclass
class FakeApis:
    requests: list[Recorded] = field(default_factory=list)
    failures: list[tuple[int, dict]] = field(default_factory=list)
    updates: list[dict] = field(default_factory=list)  # what getUpdates hands out until confirmed

    def fail_next(self, status: int, body: dict) -> None:
        self.failures.append((status, body))

    def start(self) -> str:
        apis = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length).decode()
                if "json" in (self.headers.get("Content-Type") or ""):
                    fields = {k: str(v) for k, v in json.loads(raw or "{}").items()}
                else:
                    fields = {k: v[0] for k, v in parse_qs(raw).items()}
                path = urlparse(self.path).path
                apis.requests.append(Recorded(path, fields))
                status, body = apis.failures.pop(0) if apis.failures else (200, apis.success(path, fields))
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def stop(self) -> None:
        self.server.shutdown()

    def success(self, path: str, fields: dict[str, str]) -> dict:
        if path.endswith("/getUpdates"):
            # As Telegram: an offset confirms every update before it; the rest are handed out again.
            self.updates = [u for u in self.updates if u["update_id"] >= int(fields.get("offset") or 0)]
            return {"ok": True, "result": list(self.updates)}
        if path.endswith("/sendMessage"):
            chat = {"id": int(fields.get("chat_id", 0)), "type": "private"}
            message = {"message_id": 1, "date": int(time.time()), "chat": chat}
            message["text"] = fields.get("text", "")
            return {"ok": True, "result": message}
        if "/bot" in path:
            return {"ok": True, "result": True}
        return {"sid": "SM" + "0" * 32, "status": "queued", "to": fields.get("To")}

    def sent(self, method: str) -> list[dict[str, str]]:
        return [r.fields for r in self.requests if r.method == method]

    def wait_for(self, method: str, count: int, seconds: float = 15.0) -> list[dict[str, str]]:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline and len(self.sent(method)) < count:
            time.sleep(0.1)
        return self.sent(method)
