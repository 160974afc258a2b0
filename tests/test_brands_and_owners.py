"""A brand and the company that owns it, for outages of companies the catalogue does not
know (session 26, from the written sagas; our text, unit cases): one outlet names the game,
the shop or the airline that is down, another its parent, and an English report's opening
ties the two ("owned by …", "part of …", "at its … stores")."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.incidents.owners import tied_names
from bot.incidents.tracker import IncidentTracker
from bot.outage.classify import OutageClassifier
from bot.store import Store
from tests.test_incidents import article, file

FRIDAY = datetime(2029, 7, 20, 6, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("opening", "names"),
    [
        ("The low-cost carrier, owned by Lantau Aviation Group, said the supplier failed.",
         {"lantau"}),
        ("The company, part of retail group Holdvast Groep, took systems offline.",
         {"holdvast", "groep"}),
        ("Login servers for Skyforge Legends, the game run by Seoul-based Hanul Games, fell over.",
         {"hanul"}),
        ("The attack disabled tills at its Versmarkt stores.", {"versmarkt"}),
        ("Brindle Group, the owner of the Copperpot coffee chain, said tills failed.",
         {"copperpot"}),
        ("The group said its budget airline Harbour Jet cancelled 40 flights.",
         {"harbour", "jet"}),
        # No tie: the company's people, places, plain words and the platforms its apps run
        # on are not its brands.
        ("Customers could not log in to its Android app on Friday.", set()),
        ("Its Chief Executive Anna Berg apologised.", set()),
        # What the outage did not reach is no tie.
        ("The outage didn't affect its Versmarkt stores, the group said.", set()),
        ("Tills failed, though the fault did not reach its Marlow stores.", set()),
        ("The clinic chain, run by Chief Executive Anna Berg, said systems were down.", set()),
        ("It said its engineers were working through the night.", set()),
        ("The carrier said its Texas operations were unaffected.", set()),
        ("Shoppers were asked to pay in cash on Friday.", set()),
    ],
)  # fmt: skip
def test_an_opening_ties_a_brand_to_its_owner(opening: str, names: set[str]) -> None:
    assert tied_names(opening) == names


@pytest.mark.parametrize("brand_first", [True, False])
def test_the_brand_and_its_owner_reported_apart_are_one_outage(
    store: Store, classifier: OutageClassifier, brand_first: bool
) -> None:
    tracker = IncidentTracker(store)
    brand = article(
        "brand",
        "Harbour Jet passengers stranded as check-in system fails at Hong Kong airport",
        "Queues snaked through the terminal as Harbour Jet staff checked travellers in by hand.",
        FRIDAY,
    )
    owner = article(
        "owner",
        "Lantau Aviation says IT failure forced 40 flight cancellations",
        "Lantau Aviation Group said a failure in a third-party passenger system had forced "
        "its budget airline Harbour Jet to cancel 40 flights.",
        FRIDAY + timedelta(hours=3),
    )
    first, second = (brand, owner) if brand_first else (owner, brand)
    assert file(tracker, classifier, first) == file(tracker, classifier, second)


def test_two_companies_down_the_same_day_stay_apart(
    store: Store, classifier: OutageClassifier
) -> None:
    tracker = IncidentTracker(store)
    airline = file(
        tracker,
        classifier,
        article("a", "Lantau Aviation says IT failure forced 40 flight cancellations",
                "Lantau Aviation Group said a failure at its Harbour Jet unit grounded flights.",
                FRIDAY),
    )  # fmt: skip
    grocer = file(
        tracker,
        classifier,
        article("b", "Holdvast Groep hit by ransomware attack, tills down",
                "The company, part of retail group Holdvast Groep, took its Versmarkt tills "
                "offline.", FRIDAY + timedelta(hours=2)),
    )  # fmt: skip
    assert airline != grocer


def test_two_companies_one_fund_owns_stay_apart(store: Store, classifier: OutageClassifier) -> None:
    """An owner named by two reports is a tie of each: ties meet own names, not ties."""
    tracker = IncidentTracker(store)
    pharmacy = file(
        tracker,
        classifier,
        article("a", "Pillbox pharmacy app down, customers unable to order prescriptions",
                "Pillbox, owned by private equity firm Blackmoor, said its systems failed.",
                FRIDAY),
    )  # fmt: skip
    courier = file(
        tracker,
        classifier,
        article("b", "Nordway parcel tracking down for hours",
                "Nordway, which is owned by Blackmoor, said customers could not track parcels.",
                FRIDAY + timedelta(hours=5)),
    )  # fmt: skip
    assert pharmacy != courier


BRAND_DOWN = (
    "Tasklane goes down, leaving teams unable to access their projects",
    "Project boards would not load for most of the afternoon.",
)
OWNER_SPEAKS = (
    "Corvid Software says outage was not a hack as services slowly return",
    "Corvid Software said a database fault, not an intrusion, was to blame.",
)
BOTH_NAMED = (
    "Corvid CEO apologises for Tasklane outage, promises database overhaul",
    "Corvid Software's chief executive apologised to customers for last week's outage.",
)


@pytest.mark.parametrize("order", [(0, 1, 2), (2, 0, 1), (1, 2, 0)])
def test_a_late_report_naming_brand_and_owner_joins_their_same_day_reports(
    store: Store, classifier: OutageClassifier, order: tuple[int, int, int]
) -> None:
    # The brand's first news and the owner's are hours apart; the apology a week later
    # names both: one outage whichever is read first.
    tracker = IncidentTracker(store)
    reports = [
        article("brand", *BRAND_DOWN, FRIDAY),
        article("owner", *OWNER_SPEAKS, FRIDAY + timedelta(hours=3)),
        article("apology", *BOTH_NAMED, FRIDAY + timedelta(days=7)),
    ]
    for n in order:
        file(tracker, classifier, reports[n])
    assert len({file(tracker, classifier, report) for report in reports}) == 1


def test_a_late_report_does_not_bridge_outages_a_week_apart(
    store: Store, classifier: OutageClassifier
) -> None:
    # The brand was down last week and the owner's other product this week; an apology
    # naming both bridges nothing: their first news are a week apart.
    tracker = IncidentTracker(store)
    brand = file(tracker, classifier, article("brand", *BRAND_DOWN, FRIDAY))
    owner = file(tracker, classifier, article("owner", *OWNER_SPEAKS, FRIDAY + timedelta(days=7)))
    apology = article("apology", *BOTH_NAMED, FRIDAY + timedelta(days=8))
    file(tracker, classifier, apology)
    assert brand != owner
    assert tracker.book.get(brand) is not None and tracker.book.get(owner) is not None
