"""HTML cleaning speed: ``html_to_paragraphs`` on 1 MB documents, against lxml parsing alone.

Run:  .venv/bin/python benchmarks/extract.py [--repeat 5] [--size-mb 1]

For each shape of document (many small paragraphs; a realistic article-like mix
of blocks, inline markup and boilerplate; nesting 200 levels deep repeated) it
reports the median time of cleaning and of parsing the same bytes with lxml's
HTML parser, and their ratio. The issue's target: 1 MB in at most 2 s. A live
page from ../shared/corpus is measured too when the corpus is present.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from lxml import etree

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.sources.extract import html_to_paragraphs

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"


def _repeat_to(unit: str, size: int) -> str:
    return unit * max(1, size // len(unit.encode("utf-8")))


def documents(size: int) -> dict[str, str]:
    article = (
        "<div class='entry'><h2>Update</h2><p>Engineers <b>restored</b> the storage layer in "
        "<a href='https://example.test/r'>us-east-1</a> after a faulty deploy; error rates "
        "fell &amp; queues drained.</p><ul><li>API: recovered</li><li>Console: degraded</li>"
        "</ul><div class='share-buttons'><a href='#'>Share</a></div><script>track()</script>"
        "<p>亚马逊云计算服务\n发生故障，导致一些网站暂停服务。</p></div>\n"
    )
    nested = "<div>" * 200 + "<p>Deep but legal text.</p>" + "</div>" * 200
    found = {
        "<p>x</p> repeated": _repeat_to("<p>x</p>", size),
        "article-like mix": _repeat_to(article, size),
        "200-deep nesting, repeated": _repeat_to(nested, size),
    }
    pages = sorted(CORPUS.rglob("*.htm*")) if CORPUS.exists() else []
    if pages:
        biggest = max(pages, key=lambda p: p.stat().st_size)
        text = biggest.read_bytes().decode("utf-8", "replace")
        found[f"corpus page {biggest.name} x{max(1, size // len(text))}"] = _repeat_to(text, size)
    return found


def median_s(work: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--size-mb", type=float, default=1.0)
    args = parser.parse_args()
    size = int(args.size_mb * 1024 * 1024)
    print(f"{'document':34} {'bytes':>9} {'clean':>9} {'lxml parse':>11} {'ratio':>7}")
    for name, html in documents(size).items():
        data = html.encode("utf-8")
        clean = median_s(lambda html=html: html_to_paragraphs(html), args.repeat)
        parse = median_s(
            lambda data=data: etree.fromstring(data, etree.HTMLParser(encoding="utf-8")),
            args.repeat,
        )
        print(f"{name[:34]:34} {len(data):9,} {clean:8.3f}s {parse:10.3f}s {clean / parse:6.1f}x")


if __name__ == "__main__":
    main()
