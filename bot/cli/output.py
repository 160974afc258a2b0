"""What the commands print: shared formatting, kept out of the composition root."""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from bot.delivery.deliver import DeliveryReport
    from bot.intake.reading import SourceReport


def say(message: str) -> None:
    """A progress line on stderr (stdout carries what the command produces)."""
    typer.echo(message, err=True)


def iso(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def print_sources(sources: Sequence[SourceReport]) -> None:
    """One line per source read: failed, backing off, unchanged, or what was new."""
    for source in sources:
        if source.error:
            say(f"  {source.name}: FAILED: {source.error}")
        elif source.skipped_until:
            say(f"  {source.name}: backing off until {source.skipped_until:%Y-%m-%d %H:%M} UTC")
        elif source.not_modified:
            say(f"  {source.name}: not modified since the last poll")
        else:
            say(f"  {source.name}: {source.entries} read, {source.new} new")
        for warning in source.warnings:
            say(f"    warning: {warning}")


class ProgressBar:
    """Lines as each piece of work finishes; on a terminal, a bar below them.

    Not a terminal (a log, a pipe): plain lines only, so logs stay greppable.
    """

    def __init__(self, total: int, unit: str, *, tty: bool | None = None) -> None:
        self._total = total
        self._unit = unit
        self._done = 0
        self._tty = sys.stderr.isatty() if tty is None else tty
        self._bar_shown = False

    def advance(self, count: int, show: Callable[[], None]) -> None:
        """``count`` more are done; ``show`` prints their lines (above the bar)."""
        self._done += count
        if self._bar_shown:  # the bar is the last line: replace it
            sys.stderr.write("\r\x1b[2K")
            sys.stderr.flush()
        show()
        if self._tty and self._total > 1:
            filled = int(30 * self._done / self._total)
            bar = "#" * filled + "-" * (30 - filled)
            end = "\n" if self._done >= self._total else ""
            sys.stderr.write(f"[{bar}] {self._done}/{self._total} {self._unit}{end}")
            sys.stderr.flush()
            self._bar_shown = self._done < self._total


class SourceProgress:
    """Each source's line as soon as it finishes (``ProgressBar`` over sources)."""

    def __init__(self, total: int, *, tty: bool | None = None) -> None:
        self._bar = ProgressBar(total, "sources", tty=tty)

    def __call__(self, source: SourceReport) -> None:
        self._bar.advance(1, lambda: print_sources([source]))


def fail_on_delivery_errors(deliveries: Sequence[DeliveryReport]) -> None:
    """Print each channel's delivery error; exit 1 if there was any (items stay pending)."""
    failed = [d for d in deliveries if d.error]
    for delivery in failed:
        say(f"outage-bot: {delivery.channel}: {delivery.error}")
    if failed:
        raise typer.Exit(1)
