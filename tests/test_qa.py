"""Thread Q&A: retrieval across Chinese and English, answers with and without a model, rendering.

The model is a tiny real T5 built in the test (tests/summarize/tiny_models.py),
loaded the way a pulled model is; its answers are gibberish, but they are real
``generate`` output going through the real prompt and post-processing.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

import pytest

from bot.outage.entities import EntityCatalog
from bot.qa.answerer import (
    EVIDENCE,
    Answer,
    Answerer,
    clean_answer,
    clean_question,
    question_language,
)
from bot.qa.model import Seq2SeqAnswerer, answerer_for
from bot.qa.render import answer_text, render_answer
from bot.qa.retrieve import Passage, passages, retrieve
from bot.summarize.extractive import ExtractiveSummarizer
from bot.summarize.options import EngineOptions
from bot.summarize.seq2seq import Seq2SeqSummarizer
from tests.summarize.tiny_models import build_tiny_model, make_article

ANSWER_PROMPT = "Answer the question in {language}. Context: {context} Question: {question} Answer:"

EN = make_article(
    "aws-en",
    [
        "AWS reported elevated error rates in us-east-1 on Tuesday morning. Customers could not "
        "reach the console while engineers investigated.",
        "Who was hit",
        "The post-mortem explains that a failed network upgrade caused the outage.",
        "Services recovered after a rollback, and the incident is resolved.",
    ],
    "en",
    title="AWS outage in us-east-1",
)
ZH = make_article(
    "aws-zh",
    [
        "亚马逊云美东1区出现大范围故障，大量用户无法访问。",
        "微博和抖音的部分用户反映页面加载缓慢。",
        "工程师回滚配置后，亚马逊云的服务已全面恢复。",
    ],
    "zh",
    title="亚马逊云故障",
)
ALIYUN = make_article(
    "aliyun-zh",
    ["阿里云华东1区的存储系统出现异常。", "阿里云表示，华东1区的服务已逐步恢复。"],
    "zh",
    title="阿里云故障",
)


@pytest.fixture(scope="module")
def catalog() -> EntityCatalog:
    return EntityCatalog.load()


@pytest.fixture(scope="module")
def summarizer(tmp_path_factory: pytest.TempPathFactory) -> Seq2SeqSummarizer:
    tiny = build_tiny_model(tmp_path_factory.mktemp("qa"), "t5", max_input_tokens=160)
    preset = tiny.preset.model_copy(
        update={"tasks": ("summarize", "answer"), "answer_prompt": ANSWER_PROMPT}
    )
    return Seq2SeqSummarizer.load(preset, tiny.folder, EngineOptions(threads=1))


class Recording:
    """A TextGenerator that says what it was told to, and records the prompts it got."""

    def __init__(self, reply: str | Exception, name: str = "scripted") -> None:
        self.name = name
        self.reply = reply
        self.prompts: list[str] = []

    def prompt(self, question: str, context: Sequence[str], language: str = "en") -> str:
        return f"{question} | {' '.join(context)} | {language}"

    def complete(self, prompts: Sequence[str], max_new_tokens: int = 64) -> list[str]:
        self.prompts.extend(prompts)
        if isinstance(self.reply, Exception):
            raise self.reply
        return [self.reply for _ in prompts]


# -- retrieval -----------------------------------------------------------------------------


def test_an_english_question_finds_the_english_passage(catalog: EntityCatalog) -> None:
    found = retrieve("What caused the outage?", [EN], catalog)
    assert found[0].text == EN.paragraphs[2]
    assert found[0].url == EN.url and found[0].title == EN.title and found[0].language == "en"
    assert [p.score for p in found] == sorted((p.score for p in found), reverse=True)


def test_a_chinese_question_finds_the_chinese_passage(catalog: EntityCatalog) -> None:
    found = retrieve("阿里云的存储出了什么问题？", [ALIYUN, ZH], catalog)
    assert found[0].text == ALIYUN.paragraphs[0]
    assert found[0].article_id == ALIYUN.id


def test_an_english_question_finds_a_chinese_passage_by_provider(catalog: EntityCatalog) -> None:
    # "AWS" and "亚马逊云" are one provider; "back" and "恢复" one concept.
    found = retrieve("Is AWS back?", [ALIYUN, ZH], catalog)
    assert found[0].text == ZH.paragraphs[2]
    scores = {p.text: p.score for p in found}
    assert scores[ZH.paragraphs[2]] > scores.get(ALIYUN.paragraphs[1], 0.0)


def test_a_region_code_finds_the_chinese_region_name(catalog: EntityCatalog) -> None:
    found = retrieve("what happened in us-east-1?", [ZH], catalog)
    assert found[0].text == ZH.paragraphs[0]  # 美东1区 is us-east-1


def test_nothing_matches_an_unrelated_question(catalog: EntityCatalog) -> None:
    assert retrieve("how is the weather in Paris?", [EN, ZH], catalog) == []
    assert retrieve("   ", [EN], catalog) == []
    assert retrieve("Is AWS back?", [], catalog) == []


def test_ties_go_to_the_earlier_article(catalog: EntityCatalog) -> None:
    one = make_article("one", ["Fastly recovered."], "en")
    two = make_article("two", ["Recovered: Fastly."], "en")
    found = retrieve("Has Fastly recovered?", [one, two], catalog)
    assert found[0].score == found[1].score
    assert [p.article_id for p in found] == [one.id, two.id]
    found = retrieve("Has Fastly recovered?", [two, one], catalog)
    assert [p.article_id for p in found] == [two.id, one.id]


def test_k_limits_and_duplicates_are_dropped(catalog: EntityCatalog) -> None:
    copy = EN.model_copy(update={"id": "id-copy", "url": "https://mirror.example.com/aws"})
    found = retrieve("AWS outage error rates recovered", [EN, copy], catalog, k=10)
    texts = [p.text for p in found]
    assert len(texts) == len(set(texts))
    assert {p.article_id for p in found} == {EN.id}  # the first copy of each passage
    assert len(retrieve("AWS outage error rates recovered", [EN], catalog, k=1)) == 1
    with pytest.raises(ValueError, match="k must be"):
        retrieve("AWS", [EN], catalog, k=0)


def test_passages_are_short_sentence_windows_without_headings() -> None:
    sentences = [f"Update {n}: engineers at AWS checked rack {n}." for n in range(7)]
    article = make_article("long", [" ".join(sentences), "Who was hit"], "en", title="AWS")
    cut = passages(article)
    assert cut == [" ".join(sentences[0:3]), " ".join(sentences[3:6]), sentences[6]]
    zh = make_article("zh", ["第一句。第二句。第三句。第四句。"], "zh")
    assert passages(zh) == ["第一句。第二句。第三句。", "第四句。"]
    headline_only = make_article("headline", [], "en", title="AWS is down")
    assert passages(headline_only) == ["AWS is down"]


# -- answering --------------------------------------------------------------------------------


def test_the_tiny_model_answers_and_the_evidence_is_quoted(
    summarizer: Seq2SeqSummarizer, catalog: EntityCatalog
) -> None:
    answerer = answerer_for(summarizer, catalog)
    assert isinstance(answerer.generator, Seq2SeqAnswerer)
    answerer.max_new_tokens = 12
    answer = answerer.answer("<@U0BOT> Is AWS back?", [EN, ZH])
    assert answer.from_model is True
    assert answer.engine == summarizer.preset.name == answerer.engine
    assert answer.question == "Is AWS back?"
    assert answer.evidence and answer.evidence[0].text == EN.paragraphs[3]
    # The text is exactly what the model wrote for that prompt, tidied.
    generator = answerer.generator
    prompt = generator.prompt("Is AWS back?", [p.text for p in answer.evidence], "en")
    assert answer.text == clean_answer(generator.complete([prompt], 12)[0], "Is AWS back?")
    assert answerer.answer("Is AWS back?", [EN, ZH]) == answer  # deterministic
    message = render_answer(answer)
    quotes = "\n".join(b["text"]["text"] for b in message["blocks"][1:-1])
    assert f"<{EN.url}|{EN.title}>" in quotes
    assert f"> {EN.paragraphs[3]}" in quotes
    assert "tiny-t5" in message["blocks"][-1]["elements"][0]["text"]


def test_a_failing_model_gives_the_evidence_and_says_so(
    catalog: EntityCatalog, caplog: pytest.LogCaptureFixture
) -> None:
    generator = Recording(RuntimeError("CUDA out of memory"), name="mt0-base")
    with caplog.at_level(logging.WARNING, logger="bot.qa.answerer"):
        answer = Answerer(generator, catalog).answer("What caused the outage?", [EN])
    assert len(generator.prompts) == 1
    assert answer.from_model is False and answer.engine == EVIDENCE
    assert answer.evidence[0].text == EN.paragraphs[2]
    assert "could not answer" in answer.text and "mt0-base" in answer.text
    assert "CUDA out of memory" in caplog.text


@pytest.mark.parametrize("reply", ["", "  ", "Unanswerable", "...", "Is AWS back?", "a " * 20])
def test_an_empty_or_useless_answer_gives_the_evidence(catalog: EntityCatalog, reply: str) -> None:
    answer = Answerer(Recording(reply), catalog).answer("Is AWS back?", [EN])
    assert answer.from_model is False and answer.evidence
    assert "no clear answer" in answer.text


def test_without_a_model_the_evidence_answers_and_names_the_fix(catalog: EntityCatalog) -> None:
    answer = Answerer(None, catalog).answer("What caused the outage?", [EN, ZH])
    assert answer.from_model is False and answer.engine == EVIDENCE
    assert "No QA model is loaded" in answer.text
    assert "outage-bot models pull mt0-base" in answer.text
    assert answer.evidence[0].text == EN.paragraphs[2]
    zh = Answerer(None, catalog).answer("亚马逊云恢复了吗？", [EN, ZH])
    assert zh.language == "zh" and "未加载问答模型" in zh.text
    assert zh.evidence[0].text == ZH.paragraphs[2]


def test_nothing_found_is_said_honestly_without_asking_the_model(catalog: EntityCatalog) -> None:
    generator = Recording("AWS is fine")
    answer = Answerer(generator, catalog).answer("how is the weather in Paris?", [EN, ZH])
    assert generator.prompts == []
    assert answer.evidence == () and answer.from_model is False
    assert "found nothing" in answer.text
    assert "nothing" in answer_text(answer) and "no model was asked" in answer_text(answer)


def test_a_good_model_answer_is_tidied(catalog: EntityCatalog) -> None:
    generator = Recording("Answer:  AWS   recovered after a rollback.")
    answer = Answerer(generator, catalog).answer("Is AWS back?", [EN])
    assert answer.text == "AWS recovered after a rollback." and answer.from_model
    assert answer.engine == "scripted"
    assert "Is AWS back? | Services recovered" in generator.prompts[0]
    long = clean_answer(" ".join(f"word{n}" for n in range(300)), "q")
    assert long is not None and len(long) <= 600 and long.endswith("…")


def test_without_a_qa_model_answerer_for_warns_once(
    catalog: EntityCatalog, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="bot.qa.model"):
        answerer = answerer_for(ExtractiveSummarizer(fallback=True), catalog)
        answerer.answer("Is AWS back?", [EN])
        answerer.answer("What caused it?", [EN])
    assert answerer.generator is None
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1
    assert "outage-bot models pull mt0-base" in warnings[0].getMessage()


def test_questions_are_cleaned_and_their_language_found() -> None:
    assert clean_question("<@U0BOT>  is &lt;AWS&gt; back &amp; <!here>\n up?") == (
        "is <AWS> back & up?"
    )
    assert question_language("亚马逊云恢复了吗？") == "zh"
    assert question_language("阿里云 ECS 恢复了吗") == "zh"
    assert question_language("Is 阿里云 back now?") == "en"
    assert question_language("Is AWS back?") == "en"


# -- rendering -----------------------------------------------------------------------------------


def _answer(passages: tuple[Passage, ...], text: str = "It is back.") -> Answer:
    return Answer(question="q", text=text, evidence=passages, engine="mt0-base", from_model=True)


def _passage(text: str, url: str = "https://news.example.com/a", title: str = "T") -> Passage:
    return Passage(article_id="a", url=url, title=title, language="en", text=text, score=1.0)


def test_rendering_escapes_slack_control_text() -> None:
    hostile = _passage(
        "Ops said <!channel> & <https://evil.example|click> now",
        url="https://news.example.com/a?b=1&c=<2>|d",
        title="<!here> AWS & co",
    )
    message = render_answer(_answer((hostile,), text="<!channel> back & <@U1>"))
    everything = str(message)
    assert "<!channel>" not in everything and "<!here>" not in everything
    assert "<@U1>" not in everything and "<https://evil" not in everything
    assert message["text"] == "&lt;!channel&gt; back &amp; &lt;@U1&gt;"
    quote = message["blocks"][1]["text"]["text"]
    assert quote.startswith("> Ops said &lt;!channel&gt; &amp; &lt;https://evil.example|click&gt;")
    assert (
        "<https://news.example.com/a?b=1&amp;c=&lt;2&gt;%7Cd|&lt;!here&gt; AWS &amp; co>" in quote
    )


def test_rendering_stays_within_block_kit_limits() -> None:
    huge = tuple(
        _passage(
            "x" * 5000 + "\n\n" + "&" * 3000, url="https://e.example/" + "p" * 5000, title="t" * 900
        )
        for _ in range(3)
    )
    message = render_answer(_answer(huge, text="<" * 5000))
    assert len(message["blocks"]) <= 50
    assert len(message["text"]) <= 3000
    for block in message["blocks"]:
        if block["type"] == "section":
            assert len(block["text"]["text"]) <= 3000
            assert "\n\n" not in block["text"]["text"]
        else:
            assert all(len(e["text"]) <= 2000 for e in block["elements"])
    quote = message["blocks"][1]["text"]["text"]
    assert "<https://e.example" not in quote  # too long to link: shown as text


def test_a_file_path_is_named_not_linked_and_the_terminal_shows_sources(tmp_path: Path) -> None:
    local = _passage("AWS recovered.", url=str(tmp_path / "a.md"), title="AWS")
    message = render_answer(_answer((local,)))
    quote = message["blocks"][1]["text"]["text"]
    assert "<" not in quote and str(tmp_path / "a.md") in quote
    text = answer_text(_answer((local, _passage("Second."))))
    assert text.splitlines()[0] == "It is back."
    assert "[1] AWS — " + str(tmp_path / "a.md") in text
    assert "[2] T — https://news.example.com/a" in text and "    Second." in text
    assert "mt0-base" in text.splitlines()[-1]
