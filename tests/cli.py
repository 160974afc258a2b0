"""Running ``outage-bot`` in tests: in this process (fast), or as a real process.

Most tests check what a command prints and returns, not that a process starts:
``outage_bot`` runs ``bot.cli.main.main`` in this process inside typer's
``CliRunner`` isolation (its own stdin/stdout/stderr and environment), the way
the console script would, and returns what a subprocess would. Start-up itself,
signals, process exit (the embedded Redis saves then) and concurrency between
processes are tested with ``outage_bot_process``.
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import traceback
from dataclasses import dataclass

from typer.testing import CliRunner

from bot.cli.main import main


@dataclass(frozen=True)
class Ran:
    """What a finished ``outage-bot`` run returned and printed (as CompletedProcess)."""

    args: list[str]
    returncode: int
    stdout: str
    stderr: str


def outage_bot(env: dict[str, str], *args: str, timeout: float = 60) -> Ran:
    """Run ``outage-bot ARGS`` in this process with exactly ``env`` as its environment."""
    del timeout  # pytest-timeout bounds the test; kept so call sites read as before
    changes: dict[str, str | None] = {k: None for k in os.environ if k not in env}
    changes.update(env)
    root = logging.getLogger()
    saved_handlers, saved_level = root.handlers[:], root.level
    saved_term = signal.getsignal(signal.SIGTERM)
    # The command's own logging.basicConfig must write to its stderr, as in a process.
    root.handlers = []
    code = 0
    with CliRunner().isolation(env=changes) as (out, err, _):
        try:
            main(list(args))
        except SystemExit as done:
            code = done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
        except Exception:  # a bug: a process would print the traceback and exit 1
            traceback.print_exc(file=sys.stderr)
            code = 1
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            for handler in root.handlers:
                handler.close()
            root.handlers, root.level = saved_handlers, saved_level
            signal.signal(signal.SIGTERM, saved_term)
        stdout = out.getvalue().decode("utf-8", "replace")
        stderr = err.getvalue().decode("utf-8", "replace")
    return Ran(["outage-bot", *args], code, stdout, stderr)


def outage_bot_process(
    env: dict[str, str], *args: str, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    """Run ``python -m bot ARGS`` as a real process."""
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        env=env, capture_output=True, text=True, timeout=timeout, check=False,
    )  # fmt: skip
