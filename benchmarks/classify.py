"""Classification speed: the rules alone beside the rules with the text models'
second opinion (``bot/outage/textmodel.py``, English and Chinese), side by side in one run.

Run:  .venv/bin/python benchmarks/classify.py [--repeat 3]

Items: the corpus set of ``benchmarks/quality.py`` and both halves of the labelled set
(needs ``../shared/corpus``; only timings are printed). Milliseconds per item, the best
of ``--repeat`` passes, interleaved so that machine noise falls on both alike.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.quality import corpus_items, labelled_items
from bot.outage.classify import OutageClassifier
from bot.outage.entities import EntityCatalog
from bot.outage.lexicon import Lexicon
from bot.outage.textmodel import TextModels
from bot.schema import Article


def _pass(classifier: OutageClassifier, articles: list[Article]) -> float:
    started = time.perf_counter()
    for article in articles:
        classifier.classify(article)
    return (time.perf_counter() - started) * 1000 / len(articles)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    articles = [i.article for i in corpus_items() + labelled_items("dev") + labelled_items("test")]
    if not articles:
        sys.exit("no items: ../shared/corpus is absent")
    catalog, lexicon = EntityCatalog.load(), Lexicon.load()
    rules = OutageClassifier(catalog, lexicon)
    both = OutageClassifier(catalog, lexicon, TextModels.load())
    _pass(rules, articles[:50])  # warm both up
    _pass(both, articles[:50])
    timings: dict[str, list[float]] = {"rules": [], "rules + text models": []}
    for _ in range(args.repeat):
        timings["rules"].append(_pass(rules, articles))
        timings["rules + text models"].append(_pass(both, articles))
    best = {name: min(times) for name, times in timings.items()}
    for name, ms in best.items():
        print(f"{name:20} {ms:6.2f} ms per item ({len(articles)} items, best of {args.repeat})")
    print(f"ratio {best['rules + text models'] / best['rules']:.2f}x")


if __name__ == "__main__":
    main()
