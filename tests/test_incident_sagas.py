"""Whole incidents as news covers them (tests/data/incident_sagas*.txt, written by us):
each article is classified and filed in publication order into a real Redis, as the bot
does, and the pairs of articles filed together are compared with the incidents written."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from benchmarks.quality import EVAL_NOW, Item
from bot.schema import Entry
from bot.sources.article import to_article
from tests.test_quality import below, figures_of

DATA = Path(__file__).parent / "data"
# What the written sagas reached: no two incidents filed as one, and most of each
# incident's reports together (the rest name their company only by what it is, or
# arrive a week later as an opposition councillor's demand).
FLOORS = {
    "classify.en.precision": 1.0,
    "classify.zh.precision": 1.0,
    "classify.en.recall": 0.95,
    "classify.zh.recall": 0.95,
    "cluster.pairs.precision": 1.0,
    "cluster.pairs.recall": 0.75,
    "cluster.cross-language pairs.recall": 0.80,
}
# The second batch, written for the hard classes (see its header): what it reached.
FLOORS_2 = {
    "classify.en.precision": 1.0,
    "classify.zh.precision": 1.0,
    "classify.en.recall": 0.85,
    "classify.zh.recall": 0.90,
    "cluster.pairs.precision": 1.0,
    "cluster.pairs.recall": 0.70,
    "cluster.cross-language pairs.recall": 0.70,
}
# The third batch, measured before tuning as the second was (see its header).
FLOORS_3 = {
    "classify.en.precision": 1.0,
    "classify.zh.precision": 0.98,
    "classify.en.recall": 0.85,
    "classify.zh.recall": 0.95,
    "cluster.pairs.precision": 1.0,
    "cluster.pairs.recall": 0.58,
    "cluster.cross-language pairs.recall": 0.58,
}
# The fourth batch (session 25; see its header): most of its splits need what no rule here
# knows (a day a follow-up does not name, a brand whose owner no report ties to it).
# Session 26 raised it (owners, settings, outage words).
FLOORS_4 = {
    "classify.en.precision": 1.0,
    "classify.zh.precision": 1.0,
    "classify.en.recall": 0.83,
    "classify.zh.recall": 0.90,
    "cluster.pairs.precision": 1.0,
    "cluster.pairs.recall": 0.26,
    "cluster.cross-language pairs.recall": 0.24,
}
# The fifth batch (session 25), a held-out measure of that session's rules, then tuned on
# (in session 26 too: Traditional Chinese, channels, owners).
FLOORS_5 = {
    "classify.en.precision": 0.97,
    "classify.zh.precision": 1.0,
    "classify.en.recall": 0.81,
    "classify.zh.recall": 0.94,
    "cluster.pairs.precision": 1.0,
    "cluster.pairs.recall": 0.32,
    "cluster.cross-language pairs.recall": 0.22,
}
# The sixth batch (session 26), held out for that session: what its final rules reached.
FLOORS_6 = {
    "classify.en.precision": 1.0,
    "classify.zh.precision": 1.0,
    "classify.en.recall": 0.86,
    "classify.zh.recall": 0.84,
    "cluster.pairs.precision": 1.0,
    "cluster.pairs.recall": 0.34,
    "cluster.cross-language pairs.recall": 0.32,
}
SAGAS = DATA / "incident_sagas.txt"


def saga_items(sagas: Path = SAGAS) -> list[Item]:
    items = []
    for n, line in enumerate(sagas.read_text(encoding="utf-8").splitlines()):
        if not line.strip() or line.startswith("#"):
            continue
        incident, when, rest = line.split("|", 2)
        title, _, text = rest.partition("||")
        entry = Entry(
            source=f"outlet-{n}",
            link=f"https://news{n}.example/story",
            title=title,
            html=f"<p>{text}</p>",
            published=datetime.fromisoformat(when).replace(tzinfo=UTC),
        )
        gold = None if incident == "-" else incident
        items.append(Item(f"saga#{n}", to_article(entry, EVAL_NOW), gold is not None, gold))
    return items


@pytest.mark.parametrize(
    ("name", "floors"),
    [
        ("incident_sagas.txt", FLOORS),
        ("incident_sagas_2.txt", FLOORS_2),
        ("incident_sagas_3.txt", FLOORS_3),
        ("incident_sagas_4.txt", FLOORS_4),
        ("incident_sagas_5.txt", FLOORS_5),
        ("incident_sagas_6.txt", FLOORS_6),
    ],
)
def test_written_incidents_are_filed_as_written(
    redis_server: object, name: str, floors: dict[str, float]
) -> None:
    figures = figures_of(saga_items(DATA / name), redis_server, "sagas")
    assert not below(figures, floors)
