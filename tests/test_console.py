"""The console placeholder answers its health check and sends security headers."""

from fastapi.testclient import TestClient

from operators.console import create_app


def test_landing_page_and_health() -> None:
    client = TestClient(create_app())
    page = client.get("/")
    assert page.status_code == 200 and "Operator console" in page.text
    assert page.headers["X-Frame-Options"] == "DENY"
    assert page.headers["Content-Security-Policy"] == "default-src 'self'"
    assert client.get("/health").json() == {"status": "ok"}
