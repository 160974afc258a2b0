"""Glitches that are other news, and product reviews that mention outages (session 33,
from the labelled corpus README's classes: a glitch that shows people others' data is a
leak, one people abuse for money is fraud, a product's review is a review). Written by
us; each class both ways: the look-alike is not an outage, the outage that shares its
words still is."""

from __future__ import annotations

import pytest

from bot.outage.classify import OutageClassifier
from tests.test_outage import article


@pytest.mark.parametrize(
    ("title", "text"),
    [
        # A glitch that shows people others' data is a leak.
        ("Glitch in airline app showed users other passengers' details",
         "The carrier said a technology issue exposed names and flights to other customers; "
         "it was fixed within hours."),
        ("Bank app glitch shows customers other people's accounts",
         "Some customers saw the balances of strangers, the bank said, blaming a caching error."),
        ("Airline app glitch exposes other passengers' boarding passes",
         "The airline said no payment data was affected."),
        ("航司App故障致用户看到其他乘客信息", "公司称系统升级后缓存错误所致，已修复。"),
        ("某银行App故障，用户登录后显示他人账户", "银行称系缓存错误，已紧急修复。"),
        # A glitch people abuse for money is fraud news.
        ("Bank glitch let customers withdraw money they did not have",
         "A flaw in the deposit system allowed cash out before checks bounced."),
        ("'Infinite money glitch' goes viral, bank warns it is fraud",
         "The bank said people exploiting it would be held responsible."),
        # A product's review that mentions outages.
        ("SunFlow Delta Max review: a home battery that keeps the lights on during an outage",
         "We tested the power station during a week of power cuts."),
    ],
)  # fmt: skip
def test_glitches_and_reviews_that_are_other_news(
    classifier: OutageClassifier, title: str, text: str
) -> None:
    assert not classifier.classify(article(title, text)).is_outage


@pytest.mark.parametrize(
    ("title", "text"),
    [
        # The service went down as well: the headline says so.
        ("Chatbot down: bug exposed other users' chat titles, company shuts service for hours",
         "The service was unavailable for about nine hours."),
        ("Game store outage: users saw other people's account pages after caching error",
         "The store was offline for an hour."),
        ("Bank app down for hours; some customers saw other people's accounts",
         "The bank took its mobile app offline on Friday after a glitch."),
        ("ChatGPT宕机：用户可看到他人聊天记录标题", "公司将服务下线数小时修复漏洞。"),
        # A glitch that took a service out, and an incident's review.
        ("Glitch knocks out two banks' apps for thousands", "Customers saw error messages."),
        ("Cloud provider outage review: a config push took down its control plane for hours",
         "Customers could not start instances in two regions."),
    ],
)  # fmt: skip
def test_outages_in_the_same_words_stay_outages(
    classifier: OutageClassifier, title: str, text: str
) -> None:
    assert classifier.classify(article(title, text)).is_outage
