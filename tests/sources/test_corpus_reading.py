"""Reading real article files from ../shared/corpus (skipped when it is absent).

Targets: every labelled file and every file of ``articles/`` is read; the
nav-only/title-only captures are recognised as title-only; and the opening of
every extracted text is story, not page: no Markdown link or image syntax, no
bare URL, no run of menu lines.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.schema import Article, Source
from bot.sources.article import to_article
from bot.sources.local import read_local
from tests.conftest import corpus_dir

pytestmark = pytest.mark.corpus
NOW = datetime(2026, 12, 1, tzinfo=UTC)
_MARKDOWN_LINK = re.compile(r"!?\[[^\]]*\]\(|\]\(")
_BARE_URL = re.compile(r"https?://|\bwww\.\w", re.I)
_CJK = re.compile(r"[\u3400-\u9fff]")


def _read_all(directory: Path) -> dict[str, Article]:
    read = read_local(Source(name=directory.name, location=str(directory)))
    articles = [to_article(entry, NOW) for entry in read.entries]
    return {Path(a.path or "").relative_to(directory).as_posix(): a for a in articles}


def _is_menu_line(line: str) -> bool:
    """One to four words (or up to eight Han characters) and no sentence end."""
    line = line.strip()
    if not line or line[-1] in ".!?。！？":
        return False
    size = len(_CJK.findall(line)) // 2 + len(_CJK.sub(" ", line).split())
    return size <= 4


def _has_menu_run(text: str) -> bool:
    run = 0
    for line in (line for line in text.splitlines() if line.strip()):
        run = run + 1 if _is_menu_line(line) else 0
        if run >= 3:
            return True
    return False


def _opening_problems(article: Article) -> list[str]:
    opening = article.text[:300]
    problems = []
    if _MARKDOWN_LINK.search(opening):
        problems.append("Markdown link/image syntax")
    if _BARE_URL.search(opening):
        problems.append("bare URL")
    if _has_menu_run(opening):
        problems.append("menu run")
    return problems


def test_every_labelled_file_is_read_and_opens_with_the_story() -> None:
    labelled = corpus_dir("labelled")
    files = [json.loads(line)["file"] for line in (labelled / "labels.jsonl").open()]
    assert len(files) == 187
    articles = _read_all(labelled)
    missing = [f for f in files if f not in articles]
    assert missing == []
    problems = {f: p for f in files if (p := _opening_problems(articles[f]))}
    assert problems == {}


def test_every_article_file_is_read_with_title_only_captures_recognised() -> None:
    directory = corpus_dir("articles")
    files = sorted(p.name for p in directory.iterdir() if p.is_file())
    assert len(files) == 36
    articles = _read_all(directory)
    assert sorted(articles) == files
    title_only = sorted(name for name, article in articles.items() if article.title_only)
    assert title_only == [f for f in files if "_navonly" in f or "_titleonly" in f]
    problems = {f: p for f, a in articles.items() if (p := _opening_problems(a))}
    assert problems == {}


def test_corpus_front_matter_url_is_the_article_and_the_path_is_kept() -> None:
    directory = corpus_dir("articles")
    articles = _read_all(directory)
    register = articles["article_en_crowdstrike_2024-07-19_theregister.md"]
    assert register.url.startswith("https://")
    assert register.path == str(directory / "article_en_crowdstrike_2024-07-19_theregister.md")
    # The Register's page chrome is gone: the story's first sentence leads.
    assert register.text.startswith("Updated An update to a product from infosec vendor")
    # articleMD files carry their link and date in a list under the headline.
    zdnet = articles["article_en_akamai_dns_2021-07-22_zdnet.md"]
    assert zdnet.url.startswith("https://") and "zdnet.com" in zdnet.url
    assert zdnet.published == datetime(2021, 7, 22, 18, 48, tzinfo=UTC)
    assert zdnet.published_from == "source"


def test_corpus_files_without_any_date_are_marked_undated() -> None:
    articles = _read_all(corpus_dir("articles"))
    undated = sorted(name for name, a in articles.items() if a.published_from == "undated")
    # These posts were mirrored without front matter and give no publication date. Two
    # others put their date on a line under the headline, and that date is read.
    assert undated == [
        "blog_en_facebook_bgp_2021-10-04_riskledger.md",
        "postmortem_en_aws_s3_us-east-1_2017-02-28_official_summary.txt",
        "vendor_en_facebook_bgp_2021-10-04_engineering_fb_update.md",
    ]
    dated = articles["vendor_en_facebook_bgp_2021-10-04_engineering_fb_more_details.md"]
    assert dated.published == datetime(2021, 10, 5, tzinfo=UTC)
