"""`make bench` (portal): latency and throughput of the portal's busiest pages with 50,000 cliënten.

A fresh PostgreSQL and NATS, the indicatie, berichten and toewijzing services and the edge as real
processes. The region is loaded straight into the services' own schemas (COPY, bench setup only —
loading 50,000 cliënten through RegistreerClient would take most of the run): the cliënten with an
address spread over the five gemeenten of Lekstroom, and for the postbus berichten waiting for the
gemeenten (ZK_BENCH_POSTBUS, default 5,000) and rejected ones waiting for correction (500).

Then, logged in as the regional back office (all five gemeenten), it requests through the edge over
HTTP, CONCURRENCY at a time:
- the cliënt list (/portal/clienten), at pages spread over all 50,000 (keyset tokens);
- the cliënt dossier (/portal/clienten/{gemeente}/{bsn}) of random cliënten;
- the postbus (/portal/berichten), its first page and later ones.
and prints p50, p99 and requests per second per page.

Size: ZK_BENCH_CLIENTEN (default 50,000), ZK_BENCH_REQUESTS per page (default 400),
ZK_BENCH_CONCURRENCY (default "1,8": one run per value); or `python -m devstack.portal_bench [clienten]`.
"""

from __future__ import annotations

import asyncio
import os
import random
import re
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import httpx

GEMEENTEN = ("0356", "0321", "0353", "0331", "1961")
AANBIEDERS = ("98100001", "98100002", "98100003", "98100004")
ACHTERNAMEN = ("Jansen", "de Vries", "van den Berg", "Bakker", "Visser", "Smit", "Meijer", "de Boer", "Mulder", "de Groot")


def _bsns(start: int = 200_000_000):  # type: ignore[no-untyped-def]
    from indicatie.domain.client import is_geldig_bsn

    n = start
    while True:
        if is_geldig_bsn(str(n)):
            yield str(n)
        n += 1


def seed(database_url: str, clienten: int, postbus: int, afgekeurd: int, seed_value: int = 50_000) -> list[tuple[str, str]]:
    """The region straight into the indicatie and berichten schemas (COPY), after their migrations."""
    import psycopg

    rng = random.Random(seed_value)
    bsns = _bsns()
    keys = [(GEMEENTEN[i % len(GEMEENTEN)], next(bsns)) for i in range(clienten)]
    with psycopg.connect(database_url) as conn, conn.cursor() as cur:
        with cur.copy("COPY indicatie.client (gemeentecode, bsn, geslachtsnaam, voorletters, geboortedatum, geslacht, postcode, huisnummer, status) FROM STDIN") as copy:
            for i, (gemeente, bsn) in enumerate(keys):
                geboren = date(1940, 1, 1) + timedelta(days=rng.randrange(80 * 365))
                copy.write_row((gemeente, bsn, ACHTERNAMEN[i % len(ACHTERNAMEN)], "A.", geboren, str(1 + i % 2), f"34{i % 100:02d}AB", str(1 + i % 200), "actief"))
        with cur.copy("COPY indicatie.client_adres (gemeentecode, bsn, soort, straatnaam, huisnummer, postcode, plaatsnaam) FROM STDIN") as copy:
            for i, (gemeente, bsn) in enumerate(keys):
                copy.write_row((gemeente, bsn, "01", "Dorpsstraat", 1 + i % 200, f"34{i % 100:02d}AB", "Lekstroom"))
        begin = datetime(2026, 11, 1, tzinfo=timezone.utc)
        berichten = []
        for i in range(postbus):  # 301s and retourberichten the hub delivered to the gemeenten
            gemeente, agb = GEMEENTEN[i % len(GEMEENTEN)], AANBIEDERS[i % len(AANBIEDERS)]
            berichten.append((str(uuid.uuid4()), "uit", "ijw", "302", agb, gemeente, gemeente, agb, f"B{i:011d}", "verzonden", [], None, begin + timedelta(seconds=i)))
        for i in range(afgekeurd):  # 301s of the gemeenten the aanbieder's side rejected (CS002)
            gemeente, agb = GEMEENTEN[i % len(GEMEENTEN)], AANBIEDERS[i % len(AANBIEDERS)]
            bevinding = '[{"regel": "CS002", "retourcode": "0001", "niveau": 2, "locatie": "/Bericht/Client/Bsn", "klasse": "Client", "melding": "Bsn voldoet niet aan de 11-proef"}]'
            berichten.append((str(uuid.uuid4()), "in", "ijw", "301", gemeente, agb, gemeente, agb, f"A{i:011d}", "retour_verzonden", bevinding, None, begin + timedelta(seconds=i)))
        with cur.copy(
            "COPY berichten.bericht (id, richting, standaard, berichtsoort, afzender, ontvanger, gemeentecode, agb, identificatie, status, bevindingen, fout_reden, ontvangen_op, sha256, grootte) FROM STDIN"
        ) as copy:
            for b in berichten:
                copy.write_row((*b[:10], b[10] if isinstance(b[10], str) else "[]", *b[11:], "0" * 64, 1000))
        with cur.copy("COPY berichten.postbus (bericht_id, ontvanger, levering, klaargezet_op) FROM STDIN") as copy:
            for b in berichten[:postbus]:
                copy.write_row((b[0], b[5], "klaargezet", b[12]))
        cur.execute("ANALYZE")
    return keys


@dataclass
class Meting:
    pagina: str
    latencies: list[float]
    seconden: float
    fouten: int
    voorbeeld: str = ""  # the first unexpected answer

    def regel(self) -> str:
        lat = sorted(self.latencies)
        p50 = statistics.median(lat) * 1000
        p99 = lat[min(len(lat) - 1, int(len(lat) * 0.99))] * 1000
        return f"  {self.pagina:<28} {len(lat):>8} {p50:>8.1f} {p99:>8.1f} {len(lat) / self.seconden:>8.1f} {self.fouten:>6}"


async def meet(client: httpx.AsyncClient, pagina: str, paden: list[str], concurrency: int, verwacht: str) -> Meting:
    latencies: list[float] = []
    fouten = 0
    voorbeeld = ""
    queue: asyncio.Queue[str] = asyncio.Queue()
    for pad in paden:
        queue.put_nowait(pad)

    async def werker() -> None:
        nonlocal fouten, voorbeeld
        while not queue.empty():
            pad = queue.get_nowait()
            t0 = time.perf_counter()
            response = await client.get(pad)
            latencies.append(time.perf_counter() - t0)
            if response.status_code != 200 or verwacht not in response.text:
                fouten += 1
                voorbeeld = voorbeeld or f"{pad}: {response.status_code} {response.text[:300]!r}"

    begin = time.perf_counter()
    await asyncio.gather(*(werker() for _ in range(concurrency)))
    return Meting(pagina, latencies, time.perf_counter() - begin, fouten, voorbeeld)


async def _log_in(base: str) -> httpx.AsyncClient:
    from devstack.users import demo_password

    client = httpx.AsyncClient(base_url=base, timeout=60, limits=httpx.Limits(max_connections=64))
    page = await client.get("/portal/inloggen")
    token = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
    response = await client.post("/portal/inloggen", data={"csrf": token, "terug": "/portal/", "gebruikersnaam": "backoffice", "wachtwoord": demo_password("backoffice")})
    assert response.status_code == 303, response.text
    return client


async def _pages(client: httpx.AsyncClient, first: str, limit: int) -> list[str]:
    """The paths of a list's pages, following its "next" links (keyset tokens) from `first`."""
    paths = [first]
    while len(paths) < limit:
        found = re.search(rf'href="({re.escape(first)}\?na=[^"]+)"', (await client.get(paths[-1])).text)
        if not found:
            break
        paths.append(found.group(1).replace("&amp;", "&"))
    return paths


async def run_pages(base: str, keys: list[tuple[str, str]], requests: int, concurrency: int) -> list[Meting]:
    rng = random.Random(7)
    client = await _log_in(base)
    lijst_paginas = await _pages(client, "/portal/clienten", 1000)  # also the warm-up
    postbus_paginas = await _pages(client, "/portal/berichten", 1000)
    lijst = [rng.choice(lijst_paginas) for _ in range(requests)]
    dossiers = [f"/portal/clienten/{g}/{b}" for g, b in (rng.choice(keys) for _ in range(requests))]
    postbus = [rng.choice(postbus_paginas) for _ in range(requests)]
    for pad in dossiers[:20]:  # warm-up
        await client.get(pad)
    uitkomst = [
        await meet(client, f"cliëntenlijst ({len(lijst_paginas)} pages)", lijst, concurrency, "<caption>Cliënten van"),
        await meet(client, "cliëntdossier", dossiers, concurrency, "<h1>"),
        await meet(client, f"postbus ({len(postbus_paginas)} pages)", postbus, concurrency, "Afgekeurd, wacht op correctie"),
    ]
    await client.aclose()
    return uitkomst


def main() -> None:
    from devstack.infra import free_port
    from devstack.testing import ServiceProcess, private_stack, wait_for
    from devstack.users import write_users_file
    from runtime.settings import SERVICE_NAMES

    clienten = int(sys.argv[1]) if len(sys.argv) > 1 else int(os.environ.get("ZK_BENCH_CLIENTEN", "50000"))
    requests = int(os.environ.get("ZK_BENCH_REQUESTS", "400"))
    concurrencies = [int(c) for c in os.environ.get("ZK_BENCH_CONCURRENCY", "1,8").split(",")]
    postbus = int(os.environ.get("ZK_BENCH_POSTBUS", "5000"))
    root = Path(tempfile.mkdtemp(prefix="zorgketen-portal-bench-"))
    root.chmod(0o755)
    try:
        with private_stack(root) as stack:
            url, started = stack.url, stack.started
            for name in ("indicatie", "berichten", "toewijzing", "declaratie"):  # the dossier asks each of them
                stack.start(name)
            t0 = time.perf_counter()
            keys = seed(url, clienten, postbus, 500)
            geladen = time.perf_counter() - t0
            users = root / "portal-users.json"
            write_users_file(users)
            port = free_port()
            addresses = {f"ZK_{n.upper()}_ADDR": next((s.address for s in started if s.name == n), f"127.0.0.1:{free_port()}") for n in SERVICE_NAMES}
            edge = ServiceProcess("edge", {**addresses, "ZK_EDGE_PORT": str(port), "ZK_PORTAL_USERS_FILE": str(users), "ZK_DATABASE_URL": url, "ZK_LOG_LEVEL": "WARNING"}, root)
            edge.migrate()
            edge.start()
            started.append(edge)
            base = f"http://127.0.0.1:{port}"
            wait_for(lambda: _up(base), 30, what="the edge answering")
            print(f"Portal benchmark: {clienten:,} cliënten in 5 gemeenten, {postbus:,} berichten in the postbus, loaded (COPY) in {geladen:.1f}s")
            print("  through the edge over HTTP as the regional back office (latency measured by the client)")
            fouten = []
            for concurrency in concurrencies:
                metingen = asyncio.run(run_pages(base, keys, requests, concurrency))
                print(f"  {concurrency} request(s) at a time")
                print(f"  {'page':<28} {'requests':>8} {'p50 ms':>8} {'p99 ms':>8} {'req/s':>8} {'errors':>6}")
                for meting in metingen:
                    print(meting.regel())
                fouten += [m.voorbeeld for m in metingen if m.voorbeeld]
            if fouten:
                raise SystemExit("some pages did not answer as expected: " + "; ".join(fouten))
    finally:
        shutil.rmtree(root, ignore_errors=True)


def _up(base: str) -> bool:
    try:
        return httpx.get(f"{base}/portal/inloggen", timeout=1).status_code == 200
    except httpx.HTTPError:
        return False


if __name__ == "__main__":
    main()
