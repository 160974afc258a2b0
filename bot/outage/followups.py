"""Headlines that follow an outage up rather than report it: a statement about a
provider's incident, a question or a fine about an outage, what followed an attack.

Such a report is aftermath (``Outage.aftermath``): it joins the outage's incident when
one is retained, and alone starts only a held incident, never posted. Each reading is a
method here, over the lexicon's tables ([reference], [inquiry], [aftermath],
[attack_aftermath]); ``OutageClassifier`` decides which of them a report needs.
"""

from __future__ import annotations

from datetime import datetime

from bot.outage.entities import EntityCatalog
from bot.outage.lexicon import Lexicon
from bot.outage.reading import TITLE_PARTS, names_victim
from bot.schema import Article


class FollowUps:
    """Built once with the classifier; pure per call."""

    def __init__(self, catalog: EntityCatalog, lexicon: Lexicon) -> None:
        self._catalog = catalog
        self._lexicon = lexicon

    def refers(self, title: str) -> bool:
        """The headline refers to an incident of a provider it names ("Customer update
        about the <provider> incident", "<provider>：关于…的声明", "bad config change
        sent traffic to drained hosts, <provider> says"), and says nothing of other
        news (a breach, an attack, a share price)."""
        lex = self._lexicon
        if not (lex.reference.search(title) or lex.faulty_change.search(title)):
            return False
        if not self._catalog.extract(title, "").providers:
            return False
        other = (lex.negative, lex.headline_negative, lex.no_outage, lex.cause, lex.power)
        return not any(pattern.search(title) for pattern in other)

    def names_past_event(self, article: Article, day: datetime | None, days_back: int) -> bool:
        """The headline names an outage by a ``day`` at least ``days_back`` days before the
        one it was published on, and who followed it up or how ([inquiry], [aftermath],
        [follow_up]); not when it says this is another outage ([repeat]: "again")."""
        lex = self._lexicon
        title = article.title
        if article.published_from == "undated" or lex.repeat.search(title):
            return False
        if not (lex.inquiry.search(title) or lex.aftermath.search(title)
                or lex.follow_up.search(title)):  # fmt: skip
            return False
        return day is not None and (article.published.date() - day.date()).days >= days_back

    def asks_about_outage(self, article: Article) -> bool:
        """Who asks about an outage, with the outage as the object ("regulator opens probe
        into Telvia network outage", "MPs demand answers from HMRC over tax deadline
        outage"); not when it says this is another outage ("again"), nor of one it names by
        a date or a year ([inquiry] object: that is ``dated_event_day``'s, or another
        year's). Not a fine or a lawsuit ([inquiry] penalties), nor on an undated page:
        when it was written is what places it."""
        lex = self._lexicon
        title = article.title
        if (
            article.published_from == "undated"
            or not lex.inquiry_questions.search(title)
            or lex.penalties.search(title)
            or lex.repeat.search(title)
        ):
            return False
        asked = lex.inquiry_object.search(title)
        # A headline that says besides what is down is news of the outage ("Lloyds app
        # down: customers demand answers over outage").
        return asked is not None and not lex.outage.search(
            title[: asked.start()] + " " + title[asked.end() :]
        )

    def redresses(self, title: str, opening_says_outage: bool) -> bool:
        """The headline offers redress ([aftermath] redress: compensation, refunds, free
        data) and the opening sentence says what for: an outage ("Nusantel to give
        subscribers 5GB free data as compensation" / "…after Thursday's network outage").
        Not a fine or a claim for damages ([inquiry] penalties), nor with a word of other
        news (a breach's victims are compensated too)."""
        lex = self._lexicon
        return (
            opening_says_outage
            and bool(lex.redress.search(title))
            and not lex.penalties.search(title)
            and not lex.negative.search(title)
            and not lex.headline_negative.search(title)
        )

    def after_attack(self, title: str) -> bool:
        """One of the headline's stories names a disruptive attack on a victim it names
        and what followed it ([attack_aftermath]: what it cost, who claimed it, what was
        not stolen): "Finalsite says no data stolen during ransomware attack",
        "学区称勒索攻击未致数据泄露". Not an inquiry ("阿里云遭网络攻击事件调查" is a breach's
        as often), a lawsuit (other news, as for any outage) or a confirmation or apology
        ("hospital confirms ransomware attack" is first news as often)."""
        lex = self._lexicon
        for story in TITLE_PARTS.split(title):
            if not (
                lex.disruptive_attack.search(story)
                and lex.attack_aftermath.search(story)
                and names_victim(
                    story, lex.victim, self._catalog.is_evidence(self._catalog.extract(story, ""))
                )
            ):
                continue
            # Other news about the attack is not its outage's follow-up: arrests, a
            # leak of data, an industry report. (What the attack did *not* take is.)
            # What criminals earned is read with its amount ("gang made $12.5 million").
            rest = lex.attack_aftermath.sub(" ", story)
            if not lex.negative.search(rest) and not lex.headline_negative.search(story):
                return True
        return False
