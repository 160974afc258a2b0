"""Model summaries are cached in Redis across processes: a second worker reuses them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.conftest import RedisServer
from tests.summarize.tiny_models import build_tiny_model

# Loads the tiny model folder, summarises two articles through the Redis cache and
# prints the summaries and how many articles reached the model itself.
_WORKER = """
import sys
from pathlib import Path
import redis
from bot.keys import Keys
from bot.store import Store
from bot.summarize.cache import CachedSummarizer
from bot.summarize.presets import Preset
from bot.summarize.seq2seq import Seq2SeqSummarizer
from tests.summarize.tiny_models import make_article

preset = Preset.model_validate_json(Path(sys.argv[2]).read_text())
engine = Seq2SeqSummarizer.load(preset, Path(sys.argv[3]))
calls = []
real = engine.summarize
def counting(articles, language=None):
    calls.extend(articles)
    return real(articles, language)
engine.summarize = counting
client = redis.Redis(unix_socket_path=sys.argv[1], decode_responses=True)
cached = CachedSummarizer(engine, Store(client, Keys("test"), "test"))
articles = [make_article(k, [f"Storage in region {k} failed for an hour and then recovered."], "en")
            for k in ("a", "b")]
summaries = cached.summarize(articles)
print(len(calls))
for summary in summaries:
    print(summary.engine, summary.fallback, summary.text)
"""


def test_a_second_process_reuses_the_first_ones_summaries(
    redis_server: RedisServer, tmp_path: Path
) -> None:
    redis_server.client().flushall()
    tiny = build_tiny_model(tmp_path, "t5")
    preset_file = tmp_path / "preset.json"
    preset_file.write_text(tiny.preset.model_dump_json())
    args = [
        sys.executable,
        "-c",
        _WORKER,
        str(redis_server.socket),
        str(preset_file),
        str(tiny.folder),
    ]
    first = subprocess.run(args, capture_output=True, text=True, timeout=120, check=True)
    second = subprocess.run(args, capture_output=True, text=True, timeout=120, check=True)
    first_lines, second_lines = first.stdout.splitlines(), second.stdout.splitlines()
    assert first_lines[0] == "2", first.stdout
    assert second_lines[0] == "0", (first.stdout, second.stdout)  # no model call the second time
    assert first_lines[1:] == second_lines[1:]
    assert all(line.startswith(f"{tiny.name} False ") for line in first_lines[1:])
