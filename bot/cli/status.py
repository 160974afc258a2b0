"""``outage-bot status``: is the bot running, and is it keeping up?

Reads only Redis: the heartbeats each process writes (``bot.ops.heartbeat``),
the job stream and its dead letters, and the sources' health. Starts no model,
no Slack client; exits 1 when no process is alive, for a cron or a probe.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Annotated

import typer

from bot.cli import root
from bot.cli.output import iso


def status(
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object.")] = False,
) -> None:
    """Processes alive, last tick, job backlog, dead letters, failing sources, model loaded."""
    from bot.jobs.clock import job_queue
    from bot.ops.heartbeat import beats
    from bot.sources.health import SourceStates

    settings, config = root.build_settings()
    store = root.build_store(settings)
    queue = job_queue(store)
    directory = root.build_directory(store, config)
    processes = beats(store)
    health = SourceStates(store).get_many(s.name for s in directory.sources())
    failing = [h for h in health.values() if h.failures]
    report: dict[str, object] = {
        "redis": store.where,
        "processes": [
            {
                "process": b.process, "role": b.role, "alive": b.alive, "host": b.host,
                "pid": b.pid, "version": b.version, "model": b.model,
                "last_beat": iso(b.last_beat),
                "last_tick": iso(b.last_tick) if b.last_tick else None,
            }
            for b in processes
        ],
        "backlog": queue.backlog(),
        "in_progress": queue.pending(),
        "dead_letters": queue.dead_letter_count(),
        "sources": len(health),
        "source_errors": [
            {"source": h.name, "failures": h.failures, "error": h.last_error,
             "since": iso(h.last_error_at) if h.last_error_at else None}
            for h in failing
        ],
    }  # fmt: skip
    alive = [b for b in processes if b.alive]
    if as_json:
        typer.echo(json.dumps(report, ensure_ascii=False))
    else:
        _print(report, root.now())
    if not alive:
        raise typer.Exit(1)


def _ago(stamp: str | None, now: datetime) -> str:
    if stamp is None:
        return "never"
    seconds = int((now - datetime.fromisoformat(stamp.replace("Z", "+00:00"))).total_seconds())
    return f"{seconds}s ago" if seconds < 120 else f"{seconds // 60}m ago"


def _print(report: dict[str, object], now: datetime) -> None:
    typer.echo(f"Redis: {report['redis']}")
    processes = report["processes"]
    assert isinstance(processes, list)  # noqa: S101 - built above
    if not processes:
        typer.echo("Processes: none has reported in the last day (start `run`, or `clock` "
                   "and `worker`)")  # fmt: skip
    for p in processes:
        state = "alive" if p["alive"] else "STOPPED"
        model = f"; model: {p['model']}" if p["model"] else ""
        typer.echo(f"  {p['process']:40} {state:8} last tick {_ago(p['last_tick'], now)}"
                   f"; last beat {_ago(p['last_beat'], now)}{model}")  # fmt: skip
    typer.echo(f"Jobs: {report['backlog']} queued ({report['in_progress']} in progress), "
               f"{report['dead_letters']} dead letter(s)")  # fmt: skip
    errors = report["source_errors"]
    assert isinstance(errors, list)  # noqa: S101 - built above
    typer.echo(f"Sources: {report['sources']}, {len(errors)} failing")
    for e in errors:
        typer.echo(f"  {e['source']}: {e['failures']}x: {e['error']}")
