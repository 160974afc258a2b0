"""Hard negatives in outage words (tests/data/written_negatives*.txt, written by us): city
blackouts, government shutdowns, device faults, advisories, breaches, retirements, old
lawsuits, attacks fended off, reviews and figures of speech, beside outages that look
like them. Each is classified as the bot does (the rules and the English text model's
veto); precision and recall per language are held at what each written set reached (see
each file's header for how it was measured)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from benchmarks.quality import EVAL_NOW
from bot.intake.pipeline import Intelligence
from bot.outage.classify import OutageClassifier
from bot.schema import Entry
from bot.sources.article import to_article

DATA = Path(__file__).parent / "data"
# (precision, recall) per language: what each file reached at the end of session 29. Both
# files' held-out halves were left alone until session 28, which read their false alarms
# for classes of error (a government's exam-time shutdown, a train broken down in a tunnel,
# a grid's collapse, a denied claim, an outage looked back on); session 29 mended the
# last of them. They are tuned on now, and claims rest on the labelled corpus.
# The third file's held-out half (its odd-numbered articles) was measured, not read (but
# for one digest headline a failing run printed); of its two English false alarms the
# text model vetoes one (bot/outage/textmodel.py).
FLOORS = {
    "written_negatives.txt": {"en": (1.0, 1.0), "zh": (1.0, 1.0)},
    "written_negatives_2.txt": {"en": (1.0, 0.85), "zh": (1.0, 1.0)},
    "written_negatives_3.txt": {"en": (0.86, 1.0), "zh": (0.75, 1.0)},
}


@pytest.fixture(scope="module")
def bot_classifier() -> OutageClassifier:
    """The classifier the bot runs: rules and the text model's veto."""
    return Intelligence.load().classifier


def written(name: str) -> list[tuple[bool, str, str, datetime]]:
    """(is an outage, headline, lead, published) per line of ``name``."""
    rows = []
    for line in (DATA / name).read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        label, when, rest = line.split("|", 2)
        title, _, text = rest.partition("||")
        published = datetime.fromisoformat(when).replace(tzinfo=UTC)
        rows.append((label == "O", title, text, published))
    return rows


@pytest.mark.parametrize("name", sorted(FLOORS))
@pytest.mark.parametrize("language", ["en", "zh"])
def test_written_negatives_and_their_look_alikes_are_told_apart(
    bot_classifier: OutageClassifier, name: str, language: str
) -> None:
    tp = fp = fn = 0
    wrong = []
    for n, (gold, title, text, published) in enumerate(written(name)):
        entry = Entry(
            source=f"outlet-{n}",
            link=f"https://negatives{n}.example/story",
            title=title,
            html=f"<p>{text}</p>",
            published=published,
        )
        article = to_article(entry, EVAL_NOW)
        if not article.language.startswith(language):
            continue
        said = bot_classifier.classify(article).is_outage
        tp += gold and said
        fp += said and not gold
        fn += gold and not said
        if said != gold:
            wrong.append(title)
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    floor_p, floor_r = FLOORS[name][language]
    assert precision >= floor_p and recall >= floor_r, wrong
