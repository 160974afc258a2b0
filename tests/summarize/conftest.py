"""Fixtures shared by the model tests: a guard that the network is never used."""

from __future__ import annotations

import socket
from typing import Any

import pytest


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Refuse (and record) any connection that is not a local unix socket.

    Not autouse: a test module that loads models opts in with
    ``pytestmark = pytest.mark.usefixtures("no_network")``, and a test asks for
    it by name to check that nothing was attempted.
    """
    attempts: list[Any] = []
    real_connect = socket.socket.connect

    def connect(self: socket.socket, address: Any) -> None:
        if self.family == socket.AF_UNIX:
            return real_connect(self, address)
        attempts.append(address)
        raise OSError(f"tests must not use the network (tried {address})")

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    return attempts
