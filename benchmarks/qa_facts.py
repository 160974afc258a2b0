"""Thread Q&A on three real incidents of ../shared/corpus: answered right or honestly not.

    .venv/bin/python -m benchmarks.qa_facts

Files the corpus articles of AWS us-east-1 2021-12-07, Facebook 2021-10-04 and
CrowdStrike 2024-07-19 into incidents (the real pipeline, a throwaway Redis), then asks
each incident questions in Chinese and English the way a thread reply does (its
facts, its stored articles, no QA model) and prints a table. A question counts as
right when the answer or its first quoted passage holds one of the expected words;
one marked "unsaid" is right only when the reply says the reports don't say.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import redis

from benchmarks._redis import redis_socket
from bot.config import ChannelConfig
from bot.incidents.book import IncidentBook
from bot.intake.pipeline import Intelligence, ingest
from bot.keys import Keys
from bot.qa.answerer import Answer, Answerer
from bot.qa.facts import Facts
from bot.schema import Article, Incident, Source
from bot.store import Store

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
NOW = datetime(2026, 12, 6, tzinfo=UTC)
UNSAID = ("The reports don't", "报道中没有")


@dataclass(frozen=True)
class Case:
    incident: str  # a file of the incident, to find it by
    question: str
    expected: tuple[str, ...]  # any of these; ("unsaid",): an honest "don't say"


AWS = "cnbeta_aws_us-east-1_2021-12-07.md"
FB = "article_en_facebook_bgp_2021-10-04_bleepingcomputer_down.md"
CS = "article_zh_crowdstrike_2024-07-19_solidot.md"
AWS_CAUSE = ("automated activity", "internal network", "congestion", "scale capacity", "源于")
FB_CAUSE = ("configuration", "BGP", "backbone", "routers", "配置")
CS_CAUSE = ("update", "channel file", "更新", "Falcon", "csagent", "CrowdStrike")
HIT = ("WhatsApp", "Instagram", "Messenger")
CASES = [
    Case(AWS, "Which region was affected?", ("us-east-1",)),
    Case(AWS, "哪个区域受影响？", ("us-east-1",)),
    Case(AWS, "When did the outage start?", ("2021-12-07 15:", "2021-12-07 16:00")),
    Case(AWS, "故障什么时候开始的？", ("2021-12-07 15:", "2021-12-07 16:00")),
    Case(AWS, "Which services were affected?", ("Netflix", "Disney+", "Ring")),
    Case(AWS, "哪些服务受到影响？", ("Netflix", "Disney+", "Ring")),
    Case(AWS, "What was the root cause?", AWS_CAUSE),
    Case(AWS, "故障原因是什么？", AWS_CAUSE),
    Case(AWS, "Is it resolved?", ("resolved", "postmortem")),
    Case(FB, "What caused the outage?", FB_CAUSE),
    Case(FB, "这次故障的原因是什么？", FB_CAUSE),
    Case(FB, "Which services were affected?", HIT),
    Case(FB, "哪些服务受影响？", HIT),
    Case(FB, "When did it start?", ("2021-10-04 15:", "2021-10-04 16:")),
    Case(FB, "Which region was affected?", ("unsaid",)),
    Case(FB, "Is Facebook back online?", ("resolved", "postmortem")),
    Case(CS, "What caused the crash?", CS_CAUSE),
    Case(CS, "蓝屏的原因是什么？", CS_CAUSE),
    Case(CS, "哪些服务受到影响？", ("unsaid", "航空", "airline", "Microsoft", "微软", "银行")),
    Case(CS, "Which region was affected?", ("unsaid",)),
    Case(CS, "什么时候开始的？", ("2024-07-18", "2024-07-19")),
    Case(CS, "Is it fixed?", ("Status:",)),
]


def _sources() -> list[Source]:
    files = [
        CORPUS / "seed" / AWS,
        *sorted((CORPUS / "articles").glob("article_en_aws_us-east-1_2021-12-07_*.md")),
        CORPUS / "articles" / "postmortem_en_aws_us-east-1_2021-12-07_official_summary.txt",
        *sorted((CORPUS / "articles").glob("*facebook_bgp_2021-10-0[45]*.md")),
        *sorted((CORPUS / "articles").glob("article_*_crowdstrike_2024-07-19_*.md")),
    ]
    return [Source(name=str(f), location=str(f)) for f in files]


def _incident_of(incidents: list[Incident], name: str) -> Incident:
    for incident in incidents:
        if any(a.source.endswith(name) for a in incident.articles):
            return incident
    sys.exit(f"no incident holds {name}")


def _right(case: Case, answer: Answer) -> bool:
    said = answer.text + (" " + answer.evidence[0].text if answer.evidence else "")
    if answer.text.startswith(UNSAID):
        return "unsaid" in case.expected
    return any(word != "unsaid" and word.lower() in said.lower() for word in case.expected)


@dataclass(frozen=True)
class Row:
    case: Case
    shown: str  # the answer's sentence, or its first quoted passage
    right: bool


def ask_all() -> list[Row]:
    """Every case asked of its incident, filed from the corpus into a throwaway Redis."""
    intelligence = Intelligence.load()
    answerer = Answerer(None, intelligence.catalog)
    rows = []
    with redis_socket() as socket:
        client = redis.Redis(unix_socket_path=str(socket), decode_responses=True)
        store = Store(client, Keys("bench"), str(socket))
        ingest(_sources(), store, [ChannelConfig(id="#bench")], NOW, intelligence)
        incidents = IncidentBook(store).recent(datetime(2000, 1, 1, tzinfo=UTC))
        for case in CASES:
            incident = _incident_of(incidents, case.incident)
            keys = [store.keys.article(a.article_id) for a in incident.articles]
            articles = [Article.model_validate_json(r) for r in client.mget(keys) if r]
            name = intelligence.catalog.provider_name(incident.provider or "aws")
            answer = answerer.answer(case.question, articles, Facts.of_incident(incident, name))
            shown = (
                answer.text
                if answer.engine == "facts" or not answer.evidence
                else ("» " + answer.evidence[0].text)
            )
            rows.append(Row(case, " ".join(shown.split()), _right(case, answer)))
    return rows


def main() -> None:
    if not CORPUS.exists():
        sys.exit(f"{CORPUS} is not here; this benchmark needs the shared corpus")
    rows = ask_all()
    print(f"{'incident':<10} {'question':<32} {'answer':<60} ok")
    for row in rows:
        print(
            f"{row.case.incident[:9]:<10} {row.case.question[:30]:<32} "
            f"{row.shown[:58]:<60} {'✓' if row.right else '✗'}"
        )
    right = sum(row.right for row in rows)
    print(f"\n{right}/{len(rows)} answered right or honestly unanswered "
          f"({100 * right / len(rows):.0f} %)")  # fmt: skip


if __name__ == "__main__":
    main()
