"""``outage-bot``: the typer app, its commands registered in one place, and ``main``.

Expected errors (bad config, unreachable Redis, a refused delivery) print one
clear line and exit non-zero; tracebacks are reserved for bugs.
"""

from __future__ import annotations

import logging
import sys
from typing import Annotated

import typer

from bot.cli import admin, models, oneshot, processes, slack
from bot.errors import ConfigError, OutageBotError

app = typer.Typer(help="Outage news and status feeds, summarised locally, delivered to Slack.",
                  no_args_is_help=True, add_completion=False)  # fmt: skip
config_app = typer.Typer(help="Check the configuration.", no_args_is_help=True)
models_app = typer.Typer(help="Summarization models: list presets, download weights.",
                         no_args_is_help=True)  # fmt: skip
app.add_typer(config_app, name="config")
app.add_typer(models_app, name="models")

# The whole command surface, in the order `--help` lists it.
app.command()(oneshot.demo)
app.command()(processes.run)
app.command("ingest")(oneshot.ingest_command)
app.command()(oneshot.summarize)
app.command()(oneshot.digest)
app.command("incidents")(admin.incidents_command)
app.command("sources")(admin.sources_command)
app.command()(slack.serve)
app.command()(oneshot.ask)
app.command()(processes.clock)
app.command()(processes.worker)
models_app.command("list")(models.models_list)
models_app.command("pull")(models.models_pull)
config_app.command("check")(admin.config_check)


@app.callback()
def _root(
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log debug detail.")] = False,
) -> None:
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )


def main(argv: list[str] | None = None) -> None:
    """Console-script entry: run the app, turning expected errors into one line."""
    try:
        # Without standalone mode, click returns the code of a typer.Exit instead of exiting.
        code = app(args=argv, standalone_mode=False)
        if isinstance(code, int) and code:
            sys.exit(code)
    except typer.Abort:
        sys.exit(130)
    except typer.Exit as done:
        sys.exit(done.exit_code)
    except ConfigError as exc:
        print("outage-bot: configuration problem:", file=sys.stderr)
        for problem in exc.problems:
            print(f"  {problem}", file=sys.stderr)
        sys.exit(2)
    except OutageBotError as exc:
        print(f"outage-bot: {exc}", file=sys.stderr)
        sys.exit(1)
    except Exception as exc:
        # A Redis error we did not wrap is still an outage, not a bug in the command.
        import redis
        from click import ClickException

        if isinstance(exc, redis.RedisError):
            print(f"outage-bot: Redis failed: {exc}", file=sys.stderr)
            sys.exit(1)
        if isinstance(exc, ClickException):  # click's own usage errors carry an exit code
            exc.show()
            sys.exit(exc.exit_code)
        raise
