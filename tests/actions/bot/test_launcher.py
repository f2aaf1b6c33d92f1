"""Training is keyed by content, and the API token is generated once and kept private."""

import shutil
import sqlite3
import stat
from pathlib import Path

import pytest

from bot import launcher


@pytest.fixture
def project(tmp_path: Path) -> Path:
    for name in ("config.yml", "bot/domain_files.py"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(launcher.ROOT / name, tmp_path / name)
    shutil.copytree(launcher.ROOT / "domain", tmp_path / "domain")
    shutil.copytree(launcher.ROOT / "bot" / "data", tmp_path / "bot" / "data")
    for package in ("nlu", "rasa_plugins"):
        ignore = shutil.ignore_patterns("__pycache__")
        shutil.copytree(launcher.ROOT / package, tmp_path / package, ignore=ignore)
    return tmp_path


def test_fingerprint_follows_content_not_time(project: Path) -> None:
    before = launcher.training_fingerprint(project)
    (project / "domain" / "main.yml").touch()
    assert launcher.training_fingerprint(project) == before
    assert launcher.training_fingerprint(project) == launcher.training_fingerprint(launcher.ROOT)


TRAINING_FILES = [
    "config.yml", "domain/main.yml", "domain/responses/fa.yml", "bot/domain_files.py", "bot/data/rules.yml",
    "nlu/language.py", "rasa_plugins/lock_store.py", "rasa_plugins/domain_importer.py",
]


@pytest.mark.parametrize("changed", TRAINING_FILES)
def test_fingerprint_changes_with_any_training_input(project: Path, changed: str) -> None:
    before = launcher.training_fingerprint(project)
    with open(project / changed, "a") as handle:
        handle.write("\n# changed\n")
    assert launcher.training_fingerprint(project) != before


def test_unrelated_files_do_not_retrain(project: Path) -> None:
    before = launcher.training_fingerprint(project)
    (project / "README.md").write_text("docs")
    assert launcher.training_fingerprint(project) == before


def test_generated_token_is_private_and_stable(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("RASA_API_TOKEN", raising=False)
    monkeypatch.setattr(launcher, "secrets_dir", lambda: project / "var" / "secrets")
    settings = launcher.Settings(root=project, var=project / "var")
    token = launcher.api_token(settings)
    assert len(token) >= 32 and launcher.api_token(settings) == token
    path = project / "var" / "secrets" / "rasa_api_token"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    monkeypatch.setenv("RASA_API_TOKEN", "from-env")
    assert launcher.api_token(settings) == "from-env"


def test_a_channel_is_on_only_when_its_secrets_are_set_and_none_is_written(tmp_path: Path) -> None:
    target = tmp_path / "credentials.yml"
    env = {
        "TELEGRAM_TOKEN": "123:secret-token", "TELEGRAM_WEBHOOK_SECRET": "s3cret", "SMS_MAX_SEGMENTS": "2",
        "REST_TOKEN": "rest-s3cret",
    }
    off = launcher.effective_credentials(launcher.ROOT / "credentials.yml", target, env)
    written = target.read_text()
    assert "channels.telegram.TelegramInput" in written and "channels.rest.RestInput" in written
    assert "${TELEGRAM_TOKEN}" in written and "123:secret-token" not in written and "s3cret" not in written
    assert "${REST_TOKEN}" in written  # an optional secret, set: left for Rasa to read
    assert "base_url: https://api.telegram.org" in written  # a ${VAR:-default} is filled in
    assert "SmsInput" not in written and "WhatsAppInput" not in written
    assert [line.split(" off")[0] for line in off] == ["SmsInput", "WhatsAppInput"]
    assert "TWILIO_SMS_NUMBER" in off[0]


def test_the_api_token_is_not_on_any_command_line_and_var_is_private(tmp_path: Path) -> None:
    settings = launcher.Settings(var=tmp_path / "var")
    stack = launcher.Stack(settings, tmp_path / "model.tar.gz")
    assert not any(stack.token in argument for command in stack.commands().values() for argument in command)
    launcher.private_dir(settings.var)
    assert stat.S_IMODE(settings.var.stat().st_mode) == 0o700


def test_the_embedded_tracker_store_is_put_in_write_ahead_log_mode(tmp_path: Path) -> None:
    database = tmp_path / "tracker.db"
    launcher.write_ahead_log(database)
    launcher.write_ahead_log(database)  # again on the next start: nothing changes
    with sqlite3.connect(database) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone() == ("wal",)


def test_serving_threads_fit_two_cores_unless_the_environment_says(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in launcher.SERVING_THREADS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("OMP_NUM_THREADS", "1")
    env = launcher.Stack(launcher.Settings(var=tmp_path), tmp_path / "model.tar.gz").environment()
    assert env["OMP_NUM_THREADS"] == "1"
    assert env["TF_INTRA_OP_PARALLELISM_THREADS"] == env["TF_INTER_OP_PARALLELISM_THREADS"] == "1"
    assert env["RASA_TRACKER_DB"] == str(tmp_path / "rasa" / "tracker.db") and env["RASA_TRACKER_URL"] == ""
