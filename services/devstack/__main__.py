"""`make run`: the whole platform on this machine, with the demo region.

Starts PostgreSQL and NATS JetStream (data in .data/, kept between runs), migrates every service,
starts the five services and the edge, waits until /health reports everything SERVING, loads the
demo region and prints where to go. Ctrl-C stops everything in reverse order.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from devstack import demo, demo_regie
from devstack.infra import InfraError, LocalNats, LocalPostgres, port_open
from devstack.partners import demo_secret, write_clients_file
from devstack.users import demo_password, write_users_file
from runtime.settings import INTERNAL_TOKEN, SERVICE_NAMES

START_TIMEOUT_SECONDS = 90


def _port(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


class Stack:
    def __init__(self, root: Path):
        self.data = Path(os.environ.get("ZK_DATA_DIR", root / ".data")).resolve()
        self.logs = self.data / "logs"
        self.pg = LocalPostgres(self.data / "postgres", _port("ZK_DEV_PG_PORT", 55432))
        self.nats = LocalNats(self.data / "nats", _port("ZK_DEV_NATS_PORT", 54222), _port("ZK_DEV_NATS_MONITOR_PORT", 58222), self.logs / "nats.log")
        first = _port("ZK_DEV_GRPC_PORT", 50051)
        self.grpc = {name: f"127.0.0.1:{first + i}" for i, name in enumerate(SERVICE_NAMES)}
        self.edge_port = _port("ZK_EDGE_PORT", 8000)
        self.token = INTERNAL_TOKEN.dev_default or ""
        self.processes: dict[str, subprocess.Popen[bytes]] = {}
        self.partners: list[dict[str, str]] = []
        self.users: list[dict[str, object]] = []

    def env(self, **extra: str) -> dict[str, str]:
        return {**os.environ, "ZK_ENV": "development", "ZK_LOG_LEVEL": os.environ.get("ZK_LOG_LEVEL", "INFO"), **extra}

    def spawn(self, name: str, args: list[str], env: dict[str, str]) -> None:
        with open(self.logs / f"{name}.log", "ab") as log:
            self.processes[name] = subprocess.Popen([sys.executable, *args], env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)

    def start(self) -> None:
        self.logs.mkdir(parents=True, exist_ok=True)
        busy = [str(p) for p in (self.nats.port, self.edge_port, *(int(a.rsplit(":", 1)[1]) for a in self.grpc.values())) if port_open(p)]
        if busy:
            raise InfraError(f"ports already in use: {', '.join(busy)} (another `make run`?)")
        step("PostgreSQL", f"127.0.0.1:{self.pg.port}, data in {self.pg.datadir}")
        self.pg.initialize()
        if not self.pg.running:
            self.pg.start()
        database_url = self.pg.create_database("zorgketen")
        step("NATS JetStream", f"{self.nats.url}, store in {self.nats.storedir}")
        self.nats.start()

        base = self.env(ZK_DATABASE_URL=database_url, ZK_NATS_URL=self.nats.url, **{f"ZK_{n.upper()}_ADDR": a for n, a in self.grpc.items()})
        step("migrations", ", ".join([*SERVICE_NAMES, "edge"]))
        for name in [*SERVICE_NAMES, "edge"]:
            result = subprocess.run([sys.executable, "-m", name, "migrate"], env=base, capture_output=True, text=True)
            if result.returncode != 0:
                raise InfraError(f"migrating {name} failed:\n{result.stderr[-3000:]}")
        for name, address in self.grpc.items():
            self.spawn(name, ["-m", name], {**base, "ZK_GRPC_LISTEN": address})
        self.partners = write_clients_file(self.data / "partner-clients.json")
        self.users = write_users_file(self.data / "portal-users.json")
        edge_env = self.env(
            ZK_DATABASE_URL=database_url,
            ZK_EDGE_PORT=str(self.edge_port),
            ZK_PARTNER_CLIENTS_FILE=str(self.data / "partner-clients.json"),
            ZK_PORTAL_USERS_FILE=str(self.data / "portal-users.json"),
            **{f"ZK_{n.upper()}_ADDR": a for n, a in self.grpc.items()},
        )
        self.spawn("edge", ["-m", "edge"], edge_env)
        step("services", "starting " + ", ".join([*SERVICE_NAMES, "edge"]))
        self.wait_serving()
        report = asyncio.run(demo.load(self.grpc["indicatie"], self.grpc["declaratie"], self.token))
        step(
            "demo region",
            f"{report.clienten_nieuw} cliënten, {report.contracten_nieuw} contracten and {report.beschikkingen_nieuw} beschikkingen loaded"
            f" ({report.clienten_bestaand}, {report.contracten_bestaand} and {report.beschikkingen_bestaand} were there already); "
            + report.werkruimte_samenvatting(),
        )
        regie = asyncio.run(demo_regie.load(self.grpc["berichten"], self.grpc["toewijzing"], self.grpc["declaratie"], self.token))
        step("regie", regie.samenvatting())

    def wait_serving(self) -> None:
        started = time.monotonic()
        last: dict[str, str] = {}
        while time.monotonic() - started < START_TIMEOUT_SECONDS:
            self.check_alive()
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.edge_port}/health", timeout=2) as response:
                    last = json.load(response)["services"]
                    step("health", f"all SERVING after {time.monotonic() - started:.1f}s")
                    return
            except urllib.error.HTTPError as exc:
                last = json.load(exc)["services"]
            except OSError:
                pass
            time.sleep(0.3)
        raise InfraError(f"not every service is SERVING after {START_TIMEOUT_SECONDS}s: {last} (see {self.logs})")

    def check_alive(self) -> None:
        for name, process in self.processes.items():
            if process.poll() is not None:
                tail = (self.logs / f"{name}.log").read_text(errors="replace")[-2000:]
                raise InfraError(f"{name} exited with code {process.returncode}; the end of its log:\n{tail}")

    def stop(self) -> None:
        for name in ["edge", *reversed(SERVICE_NAMES)]:
            process = self.processes.get(name)
            if process and process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.processes.values():
            try:
                process.wait(15)
            except subprocess.TimeoutExpired:
                process.kill()
        self.nats.stop()
        self.pg.stop()


def step(what: str, detail: str) -> None:
    print(f"  ✓ {what:<16} {detail}", flush=True)


def banner(stack: Stack) -> str:
    edge = f"http://127.0.0.1:{stack.edge_port}"
    region = demo.load_region()
    lines = [
        "",
        f"Zorgketen runs — demo region {region['regio']}",
        "",
        f"  Edge (portal and partner API)  {edge}/",
        f"  Portal (log in as a demo user) {edge}/portal/",
        f"  API documentation (OpenAPI)    {edge}/docs",
        f"  Health of every service        {edge}/health",
        "",
        "  gRPC services (health, reflection): " + ", ".join(f"{n} {a}" for n, a in stack.grpc.items()),
        f"  PostgreSQL  {stack.pg.url()}   NATS  {stack.nats.url}",
        "  Gemeenten   " + ", ".join(f"{g['naam']} ({g['code']})" for g in region["gemeenten"]),
        
        "  Aanbieders  " + ", ".join(f"{a['naam']} ({a['agb']})" for a in region["aanbieders"]),
        f"  Logs        {stack.logs}/",
        "",
        "  Partner API clients (POST /oauth/token with grant_type=client_credentials; development secrets):",
        *(f"    {c['client_id']:<22} secret {demo_secret(c['client_id']):<30} {c['naam']}" for c in stack.partners),
        "",
        "  Portal demo users (password demo-<gebruikersnaam>; development only):",
        *(f"    {u['gebruikersnaam']:<22} password {demo_password(str(u['gebruikersnaam'])):<27} {u['naam']}" for u in stack.users),
        "",
        "Ctrl-C stops everything; the data stays in .data/ (make clean removes it).",
    ]
    return "\n".join(lines)


def main() -> None:
    stack = Stack(Path.cwd())
    stopping = False

    def on_signal(signum: int, frame: object) -> None:
        nonlocal stopping
        if stopping:
            return
        stopping = True
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    code = 0
    try:
        print("Starting Zorgketen", flush=True)
        stack.start()
        print(banner(stack), flush=True)
        while True:
            stack.check_alive()
            time.sleep(1)
    except KeyboardInterrupt:
        print("\nStopping …", flush=True)
    except InfraError as exc:
        print(f"\nZorgketen could not start: {exc}", file=sys.stderr, flush=True)
        code = 1
    finally:
        stack.stop()
        print("Stopped.", flush=True)
    sys.exit(code)


if __name__ == "__main__":
    main()
