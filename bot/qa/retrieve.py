"""Finding the passages of an incident's articles that a question is about.

Articles are cut into passages of one to three sentences within a paragraph,
and ranked with BM25 over tokens that work across Chinese and English:

* Latin words, lowercased and lightly stemmed ("recovered" = "recover"), without
  English function words;
* Han character bigrams (Chinese has no spaces, and bigrams match most words);
* providers, regions and brands the entity catalogue finds, as their canonical
  ids, so "AWS" in a question matches "亚马逊云" in a passage;
* a few outage concepts named in both languages ("recover" = "恢复"), so "is AWS
  back?" finds "亚马逊云服务已恢复".

Ranking is deterministic: ties go to the earlier article, then the earlier passage.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from bot.outage.entities import EntityCatalog
from bot.schema import Article, Frozen
from bot.summarize.sentences import split_sentences

# BM25's usual constants: term-frequency saturation and length normalisation.
_K1 = 1.2
_B = 0.75
_MAX_SENTENCES = 3
# Passage length, with a Han character worth about two Latin ones (it carries
# roughly a word where an English word takes five or six letters and a space).
_MAX_PASSAGE_WEIGHT = 400
_HAN_WEIGHT = 2
_CONCEPT_WEIGHT = 2.0
_HEADING_WEIGHT = 48
_SENTENCE_ENDS = tuple(".!?。！？；;:：…\"'”’)）")

_WORD = re.compile(r"[a-z0-9]+")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_STOPWORDS = frozenset(
    {
        "a", "about", "after", "again", "all", "also", "am", "an", "and", "any", "are", "as",
        "at", "be", "been", "before", "being", "but", "by", "can", "could", "did", "do", "does",
        "doing", "done", "for", "from", "had", "has", "have", "having", "he", "her", "here",
        "hers", "him", "his", "how", "i", "if", "in", "into", "is", "it", "its", "me", "my",
        "of", "on", "or", "our", "ours", "please", "she", "so", "some", "than", "that", "the",
        "their", "them", "then", "there", "these", "they", "this", "those", "to", "too", "us",
        "was", "we", "were", "what", "which", "while", "who", "whom", "why", "will", "with",
        "would", "yet", "you", "your",
    }
)  # fmt: skip
# Particles and question words: bigrams holding one of them say nothing about the topic.
_HAN_STOP = frozenset("的了吗呢吧啊么嘛")
# Outage concepts in both languages: English stems (after _stem) and Chinese words.
_CONCEPTS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "outage": (
        ("outage", "down", "disruption", "disrupt", "failure", "fail", "interruption",
         "unavailable", "incident", "broken", "offline"),
        ("故障", "宕机", "中断", "瘫痪", "不可用", "异常", "事故", "无法访问"),
    ),
    "recover": (
        ("recover", "recovery", "restore", "back", "resolve", "mitigate", "fix", "normal",
         "online"),
        ("恢复", "修复", "解决", "缓解", "正常"),
    ),
    "cause": (
        ("cause", "reason", "root", "because", "why", "trigger"),
        ("原因", "导致", "引起", "根因", "由于", "因为", "引发"),
    ),
    "error": (
        ("error", "timeout", "5xx", "latency"),
        ("错误", "报错", "超时", "延迟"),
    ),
    "time": (
        ("when", "hour", "minute", "since", "until", "start", "began", "begin", "long",
         "duration", "last"),
        ("时间", "小时", "分钟", "何时", "开始", "持续", "多久", "时候"),
    ),
    "impact": (
        ("affect", "impact", "customer", "user", "who"),
        ("影响", "用户", "客户"),
    ),
    "network": (("network", "connectivity", "dns", "bgp"), ("网络", "域名", "解析", "连接")),
    "storage": (("storage", "disk", "database"), ("存储", "磁盘", "数据库")),
}  # fmt: skip


class Passage(Frozen):
    """A piece of one article that may answer a question, with its BM25 score."""

    article_id: str
    url: str
    title: str
    language: str
    text: str
    score: float


@dataclass(frozen=True)
class _Candidate:
    article: Article
    text: str
    order: tuple[int, int]  # article, passage: the tie-break
    terms: Counter[str]


def retrieve(
    question: str,
    articles: Sequence[Article],
    catalog: EntityCatalog,
    k: int = 3,
    *,
    require: Callable[[str, frozenset[str]], bool] | None = None,
    also: Sequence[str] = (),
) -> list[Passage]:
    """The ``k`` passages that best match ``question``, best first; none when nothing matches.

    ``require(text, terms)`` keeps only the passages that say something specific (a
    region, a cause); ``also`` adds query terms (entity ids such as "@region:aws:us-east-1").
    """
    if k < 1:
        raise ValueError("k must be >= 1")
    query = set(terms(question, catalog)) | set(also)
    if not query:
        return []
    candidates = []
    for a, article in enumerate(articles):
        # A passage is about the provider its article's title names even when it
        # only says "the company": it gets the title's provider ids.
        subject = [f"@provider:{p}" for p in catalog.extract(article.title, "").providers]
        for p, text in enumerate(passages(article)):
            found = Counter(terms(text, catalog))
            if require is not None and not require(text, frozenset(found)):
                continue
            found.update(t for t in subject if t not in found)
            candidates.append(_Candidate(article, text, (a, p), found))
    candidates = _unique(candidates)
    if not candidates:
        return []
    count = len(candidates)
    average = sum(c.terms.total() for c in candidates) / count or 1.0
    frequency = Counter(term for c in candidates for term in c.terms.keys() & query)
    # Lucene's idf: always positive, so a term every passage has still counts a little.
    idf = {t: math.log(1 + (count - n + 0.5) / (n + 0.5)) for t, n in frequency.items()}
    scored: list[tuple[float, _Candidate]] = []
    for candidate in candidates:
        norm = _K1 * (1 - _B + _B * candidate.terms.total() / average)
        score = sum(
            _weight_of(term) * idf[term] * tf * (_K1 + 1) / (tf + norm)
            for term in query
            if (tf := candidate.terms.get(term, 0))
        )
        if score > 0:
            scored.append((score, candidate))
    scored.sort(key=lambda pair: (-pair[0], pair[1].order))
    return [
        Passage(
            article_id=c.article.id,
            url=c.article.url,
            title=c.article.title,
            language=c.article.language,
            text=c.text,
            score=round(score, 6),
        )
        for score, c in scored[:k]
    ]


def passages(article: Article) -> list[str]:
    """The article cut into passages: up to three sentences of one paragraph each."""
    out: list[str] = []
    for paragraph in article.paragraphs:
        if _is_heading(paragraph):
            continue
        window: list[str] = []
        weight = 0
        for sentence in split_sentences(paragraph):
            sentence = " ".join(sentence.split())
            cost = _weight(sentence)
            if window and (len(window) == _MAX_SENTENCES or weight + cost > _MAX_PASSAGE_WEIGHT):
                out.append(_join(window))
                window, weight = [], 0
            window.append(sentence)
            weight += cost
        if window:
            out.append(_join(window))
    if not out and article.title.strip():
        out.append(" ".join(article.title.split()))  # a headline-only item
    return out


def terms(text: str, catalog: EntityCatalog) -> list[str]:
    """The retrieval tokens of ``text``: words, Han bigrams, entity ids and concepts."""
    normal = unicodedata.normalize("NFKC", text).lower()
    found_words = _WORD.findall(normal)
    tokens = [_stem(w) for w in found_words if w not in _STOPWORDS]
    for run in _HAN.findall(normal):
        if len(run) == 1:
            if run not in _HAN_STOP:
                tokens.append(run)
            continue
        tokens.extend(
            run[i : i + 2] for i in range(len(run) - 1) if not (_HAN_STOP & {run[i], run[i + 1]})
        )
    found = catalog.extract("", text)
    tokens.extend(f"@provider:{p}" for p in found.providers)
    tokens.extend(f"@region:{r}" for r in found.regions)
    tokens.extend(f"@brand:{b.lower()}" for b in found.affected)
    # Question words count here ("why" asks for a cause) though not as words.
    stems = {_stem(w) for w in found_words}
    for concept, (english, chinese) in _CONCEPT_STEMS.items():
        if stems.intersection(english) or any(word in normal for word in chinese):
            tokens.append(f"~{concept}")
        elif concept == "impact" and found.affected:
            tokens.append("~impact")  # naming the brands that were hit is the impact
    return tokens


def _weight_of(term: str) -> float:
    # A concept is what a question asks ("why" wants a cause) and the one term
    # that reaches across languages, while a name is spelled out in several
    # tokens ("亚马逊云" is three bigrams and a provider id): weigh concepts up.
    return _CONCEPT_WEIGHT if term.startswith("~") else 1.0


def _stem(word: str) -> str:
    """Strip the commonest English endings, the same way on both sides of a match.

    A final "e" goes too, so "restore", "restored" and "restoring" all meet at "restor".
    """
    if len(word) > 5 and word.endswith("ing"):
        word = word[:-3]
    elif len(word) > 4 and word.endswith("ies"):
        word = word[:-3] + "y"
    elif len(word) > 4 and word.endswith("ed"):
        word = word[:-2]
    elif len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    if len(word) > 4 and word.endswith("e"):
        word = word[:-1]
    return word


_CONCEPT_STEMS = {
    concept: (frozenset(_stem(w) for w in english), chinese)
    for concept, (english, chinese) in _CONCEPTS.items()
}


def _is_heading(paragraph: str) -> bool:
    # "Who was hit", "受影响的服务": a subheading answers nothing when quoted alone.
    text = paragraph.strip()
    return _weight(text) < _HEADING_WEIGHT and not text.endswith(_SENTENCE_ENDS)


def _weight(sentence: str) -> int:
    han = sum(len(run) for run in _HAN.findall(sentence))
    return len(sentence) + han * (_HAN_WEIGHT - 1)


def _join(sentences: list[str]) -> str:
    # Chinese sentences run on without spaces; English ones take one.
    text = sentences[0]
    for sentence in sentences[1:]:
        glue = "" if _HAN.match(sentence[:1]) and _HAN.search(text[-2:]) else " "
        text += glue + sentence
    return text


def _unique(candidates: list[_Candidate]) -> list[_Candidate]:
    """One of each passage text: a syndicated article must not fill every slot."""
    seen: set[str] = set()
    out = []
    for candidate in candidates:
        key = candidate.text.casefold()
        if key not in seen:
            seen.add(key)
            out.append(candidate)
    return out
