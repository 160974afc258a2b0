"""Summarizers: a small protocol, engines behind it, chosen once at start-up."""

from bot.summarize.base import Summarizer, build_summarizer
from bot.summarize.extractive import ExtractiveSummarizer

__all__ = ["ExtractiveSummarizer", "Summarizer", "build_summarizer"]
