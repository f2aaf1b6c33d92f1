"""Trains when needed and runs the three processes: Rasa, the action server, the console.

`python -m bot.launcher run|train|token`. It needs only the standard library and PyYAML, so it
runs under either environment. Training is keyed by a content hash of everything the model
depends on, so a second start reuses the model instead of retraining.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import secrets
import signal
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from common.paths import BUILD, ROOT, private_dir, secrets_dir, var_dir
from common.secret_files import stored_secret

TRAINING_INPUTS = (
    "domain/**/*.yml", "bot/domain_files.py", "bot/data/**/*.yml", "nlu/**/*.py", "rasa_plugins/**/*.py",
)
"""What a trained model depends on besides its config; a change to any means retraining."""

KEEP_MODELS = 3
EMBEDDED_STORES = {"RASA_TRACKER_URL": "", "RASA_REDIS_URL": "", "RASA_LOCK_PREFIX": "rasa"}
"""endpoints.yml's store settings for one process; README "Scaling out" sets them for several."""
SERVING_THREADS = {
    "TF_INTRA_OP_PARALLELISM_THREADS": "1",
    "TF_INTER_OP_PARALLELISM_THREADS": "1",
    "OPENBLAS_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "OMP_NUM_THREADS": "2",
    "GOMP_SPINCOUNT": "10000",
}
"""Compute threads of the running processes, for two cores shared by three processes: Rasa's
models are too small to gain from TensorFlow's thread pools, and the embedding engine (OpenMP)
halves a message's embedding time on two threads but must not spin on a core another process
needs (BENCHMARKS.md, "Where the time goes"). The environment can set each."""


def training_fingerprint(root: Path = ROOT, config: Path | None = None) -> str:
    """Content hash of the config and training inputs (paths and bytes), independent of mtimes."""
    digest = hashlib.sha256()
    files = sorted({path for pattern in TRAINING_INPUTS for path in root.glob(pattern) if path.is_file()})
    digest.update((config or root / "config.yml").read_bytes() + b"\0")
    for path in files:
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


@dataclass
class Settings:
    """Where things live and which ports they use; every value can come from the environment."""

    root: Path = ROOT
    var: Path = BUILD
    host: str = "127.0.0.1"
    rasa_port: int = 5005
    actions_port: int = 5055
    console_port: int = 8000
    tracker_db: Path | None = None
    extra_env: dict[str, str] = field(default_factory=dict)
    endpoints: Path = ROOT / "endpoints.yml"

    @classmethod
    def from_env(cls) -> Settings:
        var = var_dir().resolve()
        return cls(
            var=var,
            host=os.environ.get("APP_HOST", "127.0.0.1"),
            rasa_port=int(os.environ.get("RASA_PORT", 5005)),
            actions_port=int(os.environ.get("ACTIONS_PORT", 5055)),
            console_port=int(os.environ.get("CONSOLE_PORT", 8000)),
        )

    @property
    def models(self) -> Path:
        return self.root / "var" / "models"

    @property
    def logs(self) -> Path:
        return self.var / "log"

    @property
    def rasa_url(self) -> str:
        return f"http://{self.host}:{self.rasa_port}"

    @property
    def actions_url(self) -> str:
        return f"http://{self.host}:{self.actions_port}"

    @property
    def console_url(self) -> str:
        return f"http://{self.host}:{self.console_port}"

    def venv_bin(self, venv: str, program: str) -> str:
        return str(self.root / venv / "bin" / program)


def quiet_env(settings: Settings) -> dict[str, str]:
    """Environment for child processes: our code importable, nothing phoned home."""
    env = dict(os.environ)
    env.update(
        PYTHONPATH=str(settings.root),
        RASA_TELEMETRY_ENABLED="false",
        SQLALCHEMY_SILENCE_UBER_WARNING="1",
        TF_CPP_MIN_LOG_LEVEL="2",
        HF_HUB_OFFLINE="1",
        TRANSFORMERS_OFFLINE="1",
    )
    env.update(settings.extra_env)
    return env


def ensure_model(settings: Settings, force: bool = False, config: Path | None = None) -> Path:
    """The trained model for the current inputs, training it only when it does not exist."""
    config = config or settings.root / "config.yml"
    target = settings.models / f"{training_fingerprint(settings.root, config)}.tar.gz"
    if target.exists() and not force:
        return target
    settings.models.mkdir(parents=True, exist_ok=True)
    settings.logs.mkdir(parents=True, exist_ok=True)
    print(f"Training the Rasa model ({target.name}); log: {settings.logs / 'train.log'}", flush=True)
    started = time.monotonic()
    with open(settings.logs / "train.log", "ab") as log:
        subprocess.run(
            [
                settings.venv_bin(".venv-rasa", "rasa"), "train",
                "--config", str(config), "--domain", "domain", "--data", "bot/data",
                "--out", str(settings.models), "--fixed-model-name", target.name[: -len(".tar.gz")],
            ],
            cwd=settings.root, env=quiet_env(settings), stdout=log, stderr=subprocess.STDOUT, check=True,
        )
    print(f"Trained in {time.monotonic() - started:.0f} s", flush=True)
    for old in sorted(settings.models.glob("*.tar.gz"), key=lambda p: p.stat().st_mtime)[:-KEEP_MODELS]:
        old.unlink()
    return target


def write_ahead_log(database: Path) -> None:
    """Puts the embedded tracker store in SQLite's write-ahead-log mode (kept in the file):
    Rasa writes a turn on its event loop, and a commit there then syncs one log file instead of
    creating, syncing and deleting a journal, still durably."""
    with closing(sqlite3.connect(database)) as connection:
        connection.execute("PRAGMA journal_mode=WAL")


def api_token(settings: Settings) -> str:
    """The Rasa HTTP API token: `RASA_API_TOKEN`, or one generated once into an ignored file."""
    token = os.environ.get("RASA_API_TOKEN")
    if token:
        return token
    return stored_secret(secrets_dir() / "rasa_api_token", lambda: secrets.token_urlsafe(32))


_REQUIRED = re.compile(r"\$\{([A-Z0-9_]+)\}")
_OPTIONAL = re.compile(r"\$\{([A-Z0-9_]+):-([^}]*)\}")


def effective_credentials(source: Path, target: Path, environ: dict[str, str]) -> list[str]:
    """Writes the channels whose required `${VAR}`s are all set, with `${VAR:-default}` filled
    in; the required ones stay as references, for Rasa to read from the environment, so no
    secret is written to disk. Returns a line per channel left out."""
    channels = yaml.safe_load(source.read_text(encoding="utf-8")) or {}
    kept, left_out = {}, []
    for channel, settings in channels.items():
        text = yaml.safe_dump({channel: settings}, sort_keys=False, allow_unicode=True)
        missing = [name for name in _REQUIRED.findall(text) if not environ.get(name)]
        if missing:
            left_out.append(f"{channel.split('.')[-1]} off: set {', '.join(dict.fromkeys(missing))}")
            continue
        filled = _OPTIONAL.sub(lambda m: _optional(m, environ), text)
        kept[channel] = yaml.safe_load(filled)[channel]
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(yaml.safe_dump(kept, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return left_out


def _optional(match: re.Match[str], environ: dict[str, str]) -> str:
    """`${VAR:-default}` filled in; `${VAR:-}` (an optional secret) stays a reference when set."""
    name, default = match.group(1), match.group(2)
    if not default and environ.get(name):
        return f"${{{name}}}"
    return environ.get(name) or default


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as reply:
            return reply.status == 200
    except (urllib.error.URLError, OSError):
        return False


class Stack:
    """The three processes, started together and always stopped together."""

    def __init__(self, settings: Settings, model: Path) -> None:
        self.settings = settings
        self.model = model
        self.token = api_token(settings)
        self.processes: dict[str, subprocess.Popen[bytes]] = {}
        self.credentials = settings.var / "credentials.yml"
        self.channels_off: list[str] = []

    def commands(self) -> dict[str, list[str]]:
        s = self.settings
        return {
            "actions": [
                s.venv_bin(".venv-actions", "python"), "-m", "rasa_sdk", "--actions", "actions",
                "--port", str(s.actions_port),
            ],
            "rasa": [  # the API token goes by the environment, out of the process list
                s.venv_bin(".venv-rasa", "python"), "-m", "bot.rasa_server", "--model", str(self.model),
                "--endpoints", str(s.endpoints), "--credentials", str(self.credentials),
                "--enable-api", "--interface", s.host, "--port", str(s.rasa_port),
            ],
            "console": [
                s.venv_bin(".venv-actions", "python"), "-m", "operators.console",
                "--host", s.host, "--port", str(s.console_port),
            ],
        }

    def health_urls(self) -> dict[str, str]:
        s = self.settings
        return {
            "actions": f"{s.actions_url}/health",
            "rasa": f"{s.rasa_url}/status?token={self.token}",
            "console": f"{s.console_url}/health",
        }

    def environment(self) -> dict[str, str]:
        """The three processes' environment: embedded stores and compute threads unless the
        environment sets them, and where each finds the others."""
        s = self.settings
        env = quiet_env(s)
        env.setdefault("ACTION_SERVER_URL", f"{s.actions_url}/webhook")
        env.setdefault("RASA_TRACKER_DB", str(s.tracker_db or s.var / "rasa" / "tracker.db"))
        for name, value in {**EMBEDDED_STORES, **SERVING_THREADS}.items():
            env.setdefault(name, value)
        # The console reaches conversations through Rasa's HTTP API, and keeps cases under var/.
        env.update(RASA_URL=s.rasa_url, RASA_API_TOKEN=self.token, APP_VAR_DIR=str(s.var))
        env["SANIC_HOST"] = s.host  # rasa_sdk's only way to choose its interface
        return env

    def start(self, timeout: float = 300.0) -> None:
        s = self.settings
        private_dir(s.var)
        s.logs.mkdir(parents=True, exist_ok=True)
        env = self.environment()
        if not env["RASA_TRACKER_URL"]:
            tracker_db = Path(env["RASA_TRACKER_DB"])
            tracker_db.parent.mkdir(parents=True, exist_ok=True)
            write_ahead_log(tracker_db)
        self.channels_off = effective_credentials(s.root / "credentials.yml", self.credentials, env)
        for name, command in self.commands().items():
            log = open(s.logs / f"{name}.log", "ab")  # noqa: SIM115 - owned by the child
            self.processes[name] = subprocess.Popen(
                command, cwd=s.root, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
            log.close()
        try:
            self.wait_healthy(timeout)
        except BaseException:
            self.stop()
            raise

    def wait_healthy(self, timeout: float) -> None:
        pending = dict(self.health_urls())
        deadline = time.monotonic() + timeout
        while pending:
            for name, url in list(pending.items()):
                if self.processes[name].poll() is not None:
                    raise RuntimeError(f"{name} exited early; see {self.settings.logs / (name + '.log')}")
                if _healthy(url):
                    del pending[name]
            if time.monotonic() > deadline:
                raise TimeoutError(f"not healthy after {timeout:.0f} s: {', '.join(pending)}")
            time.sleep(0.5)

    def stop(self, grace: float = 15.0) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + grace
        for process in self.processes.values():
            try:
                process.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        self.processes.clear()

    def __enter__(self) -> Stack:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


def _interrupt(signum: int, frame: object) -> None:
    """SIGTERM stops the stack the same way Ctrl-C does."""
    raise KeyboardInterrupt


def _run(settings: Settings) -> int:
    started = time.monotonic()
    model = ensure_model(settings)
    stack = Stack(settings, model)
    # Also when started in the background, where SIGINT arrives ignored.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, _interrupt)
    print("Starting Rasa, the action server and the operator console ...", flush=True)
    try:
        stack.start()
        print(
            json.dumps(
                {
                    "rest_webhook": f"{settings.rasa_url}/webhooks/rest/webhook",
                    "rasa_http_api": settings.rasa_url,
                    "action_server": settings.actions_url,
                    "operator_console": settings.console_url,
                    "logs": str(settings.logs),
                },
                indent=2,
            ),
            flush=True,
        )
        for line in stack.channels_off:
            print(f"Channel {line}", flush=True)
        print(f"Ready in {time.monotonic() - started:.0f} s. Ctrl-C stops everything.", flush=True)
        while all(p.poll() is None for p in stack.processes.values()):
            time.sleep(1)
        crashed = [name for name, p in stack.processes.items() if p.poll() is not None]
        print(f"Stopped because {', '.join(crashed)} exited; see {settings.logs}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\nStopping ...", flush=True)
        return 0
    finally:
        stack.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.launcher", description=__doc__)
    parser.add_argument("command", choices=["run", "train", "token"])
    parser.add_argument("--force", action="store_true", help="train even if the model is current")
    args = parser.parse_args(argv)
    settings = Settings.from_env()
    if args.command == "train":
        print(ensure_model(settings, force=args.force))
        return 0
    if args.command == "token":
        print(api_token(settings))
        return 0
    return _run(settings)


if __name__ == "__main__":
    sys.exit(main())
