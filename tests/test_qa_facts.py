"""Thread Q&A answered from what the incident knows, with quoted evidence, or honestly not."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.outage.entities import EntityCatalog
from bot.qa.answerer import FACTS, Answerer
from bot.qa.facts import Facts, topic_of
from bot.qa.render import render_answer
from tests.summarize.tiny_models import make_article

START = datetime(2021, 12, 7, 15, 30, tzinfo=UTC)
EN = make_article(
    "aws-en",
    [
        "Amazon said customers could not reach the console while engineers investigated.",
        "The disruption began at 10:30 AM ET and lasted about seven hours.",
        "Disney+ and Netflix were among the services hit.",
    ],
    "en",
    title="AWS outage takes down websites",
)
ZH = make_article(
    "aws-zh",
    [
        "据报道，许多仓库的工人无法获取任务信息，等待技术故障被解决。",
        "这些故障主要影响到亚马逊云计算服务的“美国东部1区”，数据中心位于弗吉尼亚州北部。",
        "这一内部通知称，如果技术故障导致司机无法继续送货，司机应该等候下一步信息。",
    ],
    "zh",
    title="亚马逊云计算突发故障",
)
FACTS_OF_INCIDENT = Facts(
    regions=("aws:us-east-1",),
    affected=("Disney+", "Netflix"),
    status="resolved",
    confirmation="resolved, confirmed by AWS status",
    started=START,
    resolved=START + timedelta(hours=7, minutes=10),
    official_end=True,
)


@pytest.fixture(scope="module")
def answerer() -> Answerer:
    return Answerer(None, EntityCatalog.load())


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        ("Which region was affected?", "region"),
        ("Where is the outage?", "region"),
        ("哪个区域受影响？", "region"),
        ("When did it start?", "time"),
        ("How long did it last?", "time"),
        ("故障持续了多久？", "time"),
        ("Which services were affected?", "affected"),
        ("哪些服务受到影响？", "affected"),
        ("Is it resolved?", "status"),
        ("现在恢复了吗？", "status"),
        ("What was the root cause?", "cause"),
        ("Why did it go down?", "cause"),
        ("故障原因是什么？", "cause"),
        ("Who wrote the first report?", None),
        ("Tell me more", None),
    ],
)
def test_topic_of_a_question_in_either_language(question: str, topic: str | None) -> None:
    assert topic_of(question) == topic


def test_which_region_is_answered_from_the_incident_with_the_passage_that_says_so(
    answerer: Answerer,
) -> None:
    for question, text in (
        ("Which region was affected?", "Region: us-east-1."),
        ("哪个区域受影响？", "受影响的区域：us-east-1。"),
    ):
        answer = answerer.answer(question, [EN, ZH], FACTS_OF_INCIDENT)
        assert answer.engine == FACTS and answer.text == text
        # The 美国东部1区 passage, not the one about warehouses that shares more words.
        assert "美国东部1区" in answer.evidence[0].text


def test_timing_is_answered_with_start_end_and_duration(answerer: Answerer) -> None:
    answer = answerer.answer("When did it start?", [EN, ZH], FACTS_OF_INCIDENT)
    assert answer.text == (
        "It started 2021-12-07 15:30 UTC and was resolved 2021-12-07 22:40 UTC, after 7 h 10 min."
    )
    assert "10:30 AM ET" in answer.evidence[0].text
    zh = answerer.answer("故障持续了多久？", [EN, ZH], FACTS_OF_INCIDENT)
    assert zh.text.startswith("开始于 2021-12-07 15:30 UTC") and "持续约 7 h 10 min" in zh.text


def test_affected_services_and_status(answerer: Answerer) -> None:
    affected = answerer.answer("Which services were affected?", [EN, ZH], FACTS_OF_INCIDENT)
    assert affected.text == "Affected: Disney+, Netflix."
    assert "Disney+" in affected.evidence[0].text
    status = answerer.answer("Is it resolved?", [EN, ZH], FACTS_OF_INCIDENT)
    assert status.text == "Status: resolved (resolved, confirmed by AWS status)."


@pytest.mark.parametrize(
    ("question", "text"),
    [
        ("What was the root cause?", "The reports don't say what caused it."),
        ("故障原因是什么？", "报道中没有说明故障原因。"),
    ],
)
def test_a_cause_nobody_reported_is_not_answered_with_unrelated_text(
    answerer: Answerer, question: str, text: str
) -> None:
    # "技术故障导致司机无法继续送货" names the outage as a cause of something else.
    answer = answerer.answer(question, [EN, ZH], FACTS_OF_INCIDENT)
    assert answer.text == text and answer.evidence == ()
    message = render_answer(answer)
    assert len(message["blocks"]) == 2  # the sentence and the byline: nothing quoted


def test_a_stated_cause_is_quoted(answerer: Answerer) -> None:
    rca = make_article(
        "rca",
        ["An automated capacity scaling activity triggered unexpected behavior.",
         "The root cause was a latent issue in the internal network's client code."],
        "en", title="Summary of the AWS Service Event",
    )  # fmt: skip
    answer = answerer.answer("Why did it go down?", [EN, rca], FACTS_OF_INCIDENT)
    assert {p.text for p in answer.evidence} == set(rca.paragraphs)  # both state the cause


@pytest.mark.parametrize(
    ("question", "text"),
    [
        ("Which region was affected?", "The reports don't say which region was affected."),
        ("什么时候开始的？", "报道中没有说明开始时间。"),
        (
            "Which services were affected?",
            "The reports don't name the services that were affected.",
        ),
        ("Is it resolved?", "The reports don't say whether it is resolved."),
    ],
)
def test_missing_facts_are_said_plainly(answerer: Answerer, question: str, text: str) -> None:
    answer = answerer.answer(question, [EN, ZH], Facts())
    assert (answer.text, answer.evidence) == (text, ())


def test_without_facts_other_questions_search_passages_as_before(answerer: Answerer) -> None:
    answer = answerer.answer("Which region was affected?", [EN, ZH])
    assert answer.engine != FACTS


def test_a_cause_is_looked_for_in_root_cause_reports_first(answerer: Answerer) -> None:
    guess = make_article(
        "guess", ["Experts said the outage was likely caused by a DNS problem."], "en",
        title="AWS down",
    )  # fmt: skip
    rca = make_article(
        "rca", ["An automated scaling activity triggered unexpected client behaviour."], "en",
        title="Summary of the AWS Service Event",
    )  # fmt: skip
    facts = FACTS_OF_INCIDENT.model_copy(update={"cause_reports": (rca.id,)})
    answer = answerer.answer("What was the root cause?", [guess, rca], facts)
    assert answer.evidence[0].article_id == rca.id
    without = answerer.answer("What was the root cause?", [guess, rca], FACTS_OF_INCIDENT)
    assert without.evidence[0].article_id == guess.id


def test_a_start_known_only_by_day_is_answered_as_a_day(answerer: Answerer) -> None:
    facts = Facts(started=datetime(2021, 10, 4, tzinfo=UTC), date_only=True)
    answer = answerer.answer("When did it start?", [EN], facts)
    assert answer.text == "It started on 2021-10-04; the reports don't give the time."


def test_regions_of_other_platforms_do_not_answer_which_region(answerer: Answerer) -> None:
    # Azure regions named in a CrowdStrike story are where Azure was, not CrowdStrike.
    facts = Facts(provider="crowdstrike", regions=("azure:centralus", "aliyun:cn-hangzhou"))
    answer = answerer.answer("Which region was affected?", [EN], facts)
    assert answer.text == "The reports don't say which region was affected."
    # A company's cloud is its own: Google's outage in a Google Cloud region.
    google = Facts(provider="google", regions=("gcp:us-central1", "aws:us-east-1"))
    assert answerer.answer("Which region?", [EN], google).text == "Region: us-central1."


def test_the_providers_own_brands_are_what_was_affected_first(answerer: Answerer) -> None:
    meta = make_article(
        "fb", ["Instagram and WhatsApp were down too, and many users turned to Twitter."], "en",
        title="Facebook is down",
    )  # fmt: skip
    facts = Facts(provider="meta", affected=("X (Twitter)",))
    answer = answerer.answer("Which services were affected?", [meta], facts)
    assert answer.text == "Affected: Facebook, Instagram, WhatsApp, X (Twitter)."


def test_a_root_cause_reports_first_cause_is_quoted_whatever_the_question_says(
    answerer: Answerer,
) -> None:
    rca = make_article(
        "rca",
        ["The dashboard stemmed from a single root cause, as we said before.",
         "At 7:30 AM PST an automated scaling activity triggered unexpected client behaviour.",
         "We disabled the scaling activities that triggered this event."],
        "en", title="Summary of the AWS Service Event",
    )  # fmt: skip
    facts = FACTS_OF_INCIDENT.model_copy(update={"cause_reports": (rca.id,)})
    answer = answerer.answer("What was the root cause?", [EN, rca], facts)
    assert answer.evidence[0].text == rca.paragraphs[1]
