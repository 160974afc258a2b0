"""Start-up time of the command line: ``outage-bot --help`` (and the light commands)
against ``python -c pass``.

Run:  .venv/bin/python benchmarks/startup.py [--repeat 7]

Each command runs as a fresh process ``--repeat`` times; the median wall time is
reported with its ratio to the median of an empty interpreter start measured in
the same run. ``config check`` runs without a config file; ``sources`` with one
that names no sources, so neither waits for Redis. The issue's target: 0.5 s for
``--help``, ``config check`` and ``sources``. To see where the time goes:
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
    with tempfile.TemporaryDirectory() as folder:
        config = Path(folder) / "empty.toml"
        config.write_text("")
        env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "REDIS_"))}
        env.update(OUTAGE_BOT_DATA_DIR=folder, PYTHONWARNINGS="ignore")
        bot = [sys.executable, "-m", "bot"]
        baseline = _median_s([sys.executable, "-c", "pass"], env, repeat)
        print(f"python -c pass        {baseline:6.3f} s")
        for name, args, extra in [
            ("outage-bot --help", [*bot, "--help"], {}),
            ("config check", [*bot, "config", "check"], {}),
            ("sources", [*bot, "sources"], {"OUTAGE_BOT_CONFIG": str(config)}),
        ]:
            took = _median_s(args, {**env, **extra}, repeat)
            verdict = "ok" if took <= TARGET_S else f"over the {TARGET_S} s target"
            print(f"{name:20}  {took:6.3f} s  ratio {took / baseline:5.1f}x  ({verdict})")


if __name__ == "__main__":
    main()
