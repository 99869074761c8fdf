"""Local servers given no port take a free one, and another when it was taken before they could bind it
(a port found free can be handed to another socket in between: a CI run once failed on that)."""

from __future__ import annotations

import shutil
import socket
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from devstack import infra
from devstack.infra import InfraError, LocalNats, LocalPostgres, free_port


@pytest.fixture
def bezet() -> Iterator[int]:
    """A port another socket listens on."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        yield s.getsockname()[1]


@pytest.fixture
def pgdir() -> Iterator[Path]:
    """A directory the postgres user can reach (pytest's tmp_path lies under a directory only root may enter)."""
    root = Path(tempfile.mkdtemp(prefix="zorgketen-test-"))
    root.chmod(0o755)
    yield root / "pg"
    shutil.rmtree(root, ignore_errors=True)


def _eerst(poort: int, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """free_port answers `poort` first (as if it was free a moment ago), then truly free ones."""
    gegeven: list[int] = []

    def vrij() -> int:
        gegeven.append(poort if not gegeven else free_port())
        return gegeven[-1]

    monkeypatch.setattr(infra, "free_port", vrij)
    return gegeven


def test_postgres_takes_another_port_when_the_free_one_was_taken(pgdir: Path, bezet: int, monkeypatch: pytest.MonkeyPatch):
    gegeven = _eerst(bezet, monkeypatch)
    pg = LocalPostgres(pgdir, fast=True)
    pg.initialize()
    try:
        pg.start()
        assert gegeven[0] == bezet and pg.port == gegeven[-1] != bezet and len(gegeven) == 2
        assert pg.create_database("poorten").endswith(f":{pg.port}/poorten")
        pg.stop()
        pg.start()  # a restart keeps its port
        assert pg.port == gegeven[-1] and len(gegeven) == 2
    finally:
        pg.stop()


def test_postgres_on_a_given_port_that_is_taken_says_so(pgdir: Path, bezet: int):
    pg = LocalPostgres(pgdir, bezet, fast=True)
    pg.initialize()
    with pytest.raises(InfraError, match=f"port {bezet}: in use"):
        pg.start()
    assert pg.port == bezet


def test_nats_takes_other_ports_when_a_free_one_was_taken(tmp_path: Path, bezet: int, monkeypatch: pytest.MonkeyPatch):
    gegeven = _eerst(bezet, monkeypatch)
    nats = LocalNats(tmp_path / "nats", logfile=tmp_path / "nats.log")
    try:
        nats.start()
        assert gegeven[0] == bezet and bezet not in (nats.port, nats.monitor_port) and len(gegeven) == 4
    finally:
        nats.stop()
