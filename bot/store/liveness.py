"""Is the process that holds some work still alive? Asked of processes on this machine.

Leases (bot.store.lease) are how work held by a dead process on *another* machine
comes back: after it stops renewing, in about a minute and a half. A process on
*this* machine can be asked directly: a worker started again after ``kill -9``
(or after a crash, by systemd or a person) sees that the previous one's pid is
gone and takes its work at once, instead of waiting out the lease.
"""

from __future__ import annotations

import os
import socket


def this_process() -> str:
    """``host:pid`` of this process: the owner name of the claims it holds."""
    return f"{socket.gethostname()}:{os.getpid()}"


def dead_here(host: str, pid: str) -> bool:
    """The process ``pid`` ran on this machine and is gone. Unknown hosts, this very
    process and pids that exist (perhaps reused by another program: then the lease
    decides) are not dead."""
    if host != socket.gethostname() or not pid.isdigit() or int(pid) == os.getpid():
        return False
    try:
        os.kill(int(pid), 0)  # signal 0: only asks whether the pid exists
    except ProcessLookupError:
        return True
    except PermissionError:  # exists, belongs to someone else
        return False
    return False
