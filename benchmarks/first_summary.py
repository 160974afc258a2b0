"""How long ``outage-bot run``'s first summary waits for the model to load.

Run:  .venv/bin/python benchmarks/first_summary.py [--model mt5-small] [--delays 0,3]
          [--repeat 3]

Nothing is downloaded: a model of the published size with random weights is built
as in ``benchmarks/summarize.py`` and converted to CTranslate2 as ``models pull``
leaves it (its tokenizer named ``T5Tokenizer``, as published mT5 folders do, so
the conversion keeps a tokenizer copy from it), and ``SUMMARIZER_MODEL`` names its
folder. The config reads the bundled sample articles and one feed served on
127.0.0.1 that answers after DELAY seconds
(a slow status page). For each delay, ``outage-bot run --once`` runs as a fresh
process with a fresh embedded Redis and prints the digest to the terminal.

``run`` loads the model on a background thread from start-up and needs it only
after its first poll; it logs how long that poll then waited for it. Reported per
delay (median of --repeat runs): that wait, and the run's wall time. A wait of 0
means the first summary costs what a steady one does: the load (measured alone,
in process, on the first line) was hidden behind start-up and the poll.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from xml.sax.saxutils import escape

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.summarize import (  # isort: skip - sets HF_HUB_OFFLINE before transformers
    ARCHITECTURES,
    build_model,
    build_tokenizer,
    name_t5_tokenizer,
)

from bot.summarize.ct2 import convert
from bot.summarize.factory import load_models

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO / "bot" / "samples"


def feed_xml() -> bytes:
    """One outage item, its text in the feed (no page to fetch)."""
    text = (
        "The checkout service of Example Payments was down for two hours on Tuesday; card "
        "payments failed for customers in Europe until engineers rolled back a faulty "
        "configuration change."
    )
    published = format_datetime(datetime.now(UTC) - timedelta(hours=1))
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Example status</title>'
        "<link>http://localhost/</link><description>status</description><item>"
        "<title>Example Payments outage: card payments fail across Europe</title>"
        "<link>http://localhost/incidents/1</link><guid>example-1</guid>"
        f"<pubDate>{published}</pubDate><description>{escape(text)}</description>"
        "</item></channel></rss>"
    ).encode()


def serve_slow_feed(delay: list[float]) -> ThreadingHTTPServer:
    body = feed_xml()

    class Slow(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            time.sleep(delay[0])
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Slow)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def run_once(env: dict[str, str], data_dir: Path) -> tuple[float, float]:
    """(wall seconds, seconds the first poll waited for the model) of one ``run --once``."""
    started = time.perf_counter()
    ran = subprocess.run(
        [sys.executable, "-m", "bot", "run", "--once"],
        env={**env, "OUTAGE_BOT_DATA_DIR": str(data_dir), "LOG_LEVEL": "INFO"},
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - started
    waited = re.search(r"the first poll waited ([0-9.]+) s", ran.stderr)
    if ran.returncode != 0 or "summary by" not in ran.stdout or waited is None:
        sys.exit(f"run --once failed:\n{ran.stdout[-2000:]}\n{ran.stderr[-4000:]}")
    return seconds, float(waited.group(1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="mt5-small", choices=sorted(ARCHITECTURES))
    parser.add_argument("--delays", default="0,3")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    delays = [float(d) for d in args.delays.split(",")]
    with tempfile.TemporaryDirectory(prefix="obf-") as work:
        folder = Path(work) / args.model
        model = build_model(ARCHITECTURES[args.model])
        build_tokenizer(model.config.vocab_size, 512).save_pretrained(folder)
        model.save_pretrained(folder)
        del model
        name_t5_tokenizer(folder)
        convert(folder)
        started = time.perf_counter()
        load_models(str(folder), Path(work) / "models")
        load_s = time.perf_counter() - started

        delay = [0.0]
        server = serve_slow_feed(delay)
        config = Path(work) / "bot.toml"
        config.write_text(
            f"[[sources]]\nname = 'samples'\npath = '{SAMPLES / 'articles'}'\n"
            f"[[sources]]\nname = 'slow'\nurl = 'http://localhost:{server.server_port}/feed'\n"
            "[[channels]]\nid = '#ops'\n"
        )
        env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "REDIS_"))}
        env.update(OUTAGE_BOT_CONFIG=str(config), SUMMARIZER_MODEL=str(folder),
                   OUTAGE_BOT_ALLOWED_HOSTS="localhost", PYTHONWARNINGS="ignore")  # fmt: skip
        results = {}
        for seconds in delays:
            delay[0] = seconds
            runs = [run_once(env, Path(work) / f"data-{seconds}-{n}") for n in range(args.repeat)]
            results[seconds] = (
                statistics.median(wall for wall, _ in runs),
                statistics.median(wait for _, wait in runs),
            )
        server.shutdown()
    print(f"{args.model}: model load alone (in process, imports warm) {load_s:.2f} s")
    print(f"  {'poll delay':>10} {'run --once':>11} {'first poll waited for the model':>32}")
    for seconds, (wall, wait) in results.items():
        print(f"  {seconds:9.1f}s {wall:10.2f}s {wait:31.2f}s")


if __name__ == "__main__":
    main()
