"""``outage-bot``: the typer app, its commands registered in one place, and ``main``.

Expected errors (bad config, unreachable Redis, a refused delivery) print one
clear line and exit non-zero; tracebacks are reserved for bugs.
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from bot.cli import admin, models, oneshot, processes, slack, status
from bot.errors import ConfigError, OutageBotError

# Plain help (rich_markup_mode=None): rich's tables print a type for every flag
# ("--json <bool>"); the plain formatter prints flags bare and options with their metavar.
app = typer.Typer(help="Outage news and status feeds, summarised locally, delivered to Slack.",
                  no_args_is_help=True, add_completion=False,
                  rich_markup_mode=None)  # fmt: skip
config_app = typer.Typer(help="Check the configuration.", no_args_is_help=True,
                         rich_markup_mode=None)  # fmt: skip
models_app = typer.Typer(help="Summarization models: list presets, download weights.",
                         no_args_is_help=True, rich_markup_mode=None)  # fmt: skip
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
app.command()(status.status)
app.command()(slack.serve)
app.command()(oneshot.ask)
app.command()(processes.clock)
app.command()(processes.worker)
models_app.command("list")(models.models_list)
models_app.command("pull")(models.models_pull)
config_app.command("check")(admin.config_check)


def _print_version(value: bool) -> None:
    if value:
        from bot import __version__

        typer.echo(f"outage-bot {__version__}")
        raise typer.Exit(0)


@app.callback()
def _root(
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="Log debug detail (overrides LOG_LEVEL).")
    ] = False,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_print_version, is_eager=True,
                     help="Print the version and exit."),
    ] = False,
) -> None:  # fmt: skip
    from bot.cli.logs import configure
    from bot.config import load_log_settings

    configure(load_log_settings(), verbose=verbose)


# typer >= 0.2x vendors its own copy of click, so ``click.ClickException`` (from a
# separately installed click) never matches what it raises. Its public BadParameter
# is a usage error whose bases are the classes it really raises.
_USAGE_ERROR: type[Exception] = next(
    c for c in typer.BadParameter.__mro__ if c.__name__ == "UsageError"
)
_CLICK_ERROR: type[Exception] = next(
    c for c in typer.BadParameter.__mro__ if c.__name__ == "ClickException"
)


def _usage_error(exc: Exception) -> None:
    """One line saying what is wrong, one saying where help is; exit 2 (a usage error)."""
    message = exc.format_message() if hasattr(exc, "format_message") else str(exc)
    context = getattr(exc, "ctx", None)
    command = getattr(context, "command_path", None) or "outage-bot"
    print(f"outage-bot: error: {message}", file=sys.stderr)
    print(f"Try '{command} --help' for help.", file=sys.stderr)
    sys.exit(2)


def main(argv: list[str] | None = None) -> None:
    """Console-script entry: run the app, turning expected errors into one line."""
    try:
        # Without standalone mode, click returns the code of a typer.Exit instead of exiting.
        code = app(args=argv, prog_name="outage-bot", standalone_mode=False)
        if isinstance(code, int) and code:
            sys.exit(code)
    except typer.Abort:
        sys.exit(130)
    except _USAGE_ERROR as exc:
        _usage_error(exc)
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

        if isinstance(exc, redis.RedisError):
            print(f"outage-bot: Redis failed: {exc}", file=sys.stderr)
            sys.exit(1)
        if isinstance(exc, _CLICK_ERROR):  # other click errors (a file it cannot open)
            print(f"outage-bot: {exc.format_message()}", file=sys.stderr)  # type: ignore[attr-defined]
            sys.exit(getattr(exc, "exit_code", 1))
        raise
