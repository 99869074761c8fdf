"""`make bench` (period close): a synthetic region's month of 323s through the real pipeline.

Builds a region straight into the declaratie schema (COPY: contracten, the copy of the toewijzingen,
last month's judged prestaties as history), generates the 323s of one declaratiemonth (2026-10) with
about 5 % errors of varied kinds, and sends them through Berichten.Ontvang as each aanbieder's
partner system to PostgreSQL + NATS JetStream + the berichten service + N declaratie processes. It
measures until every 323 is `retour_verzonden` with its 325 in the postbus, with N = 1 and N = 2.

Size: ZK_BENCH_PRESTATIES (default 500,000) and ZK_BENCH_CLIENTEN (default 50,000), or
`python -m declaratie.bench [prestaties] [clienten]`. ZK_BENCH_WORKERS (default "1,2") sets the N's.

A prestatie is one ToewijzingNummer × ProductPeriode (TR387/TR388 fix the ProductPeriode to the
month, TR416 forbids two debets for one toewijzing and period in a 323), so 500,000 prestaties in
one month need about that many toewijzingen: with 50,000 cliënten each has about ten.
"""

from __future__ import annotations

import asyncio
import cProfile
import io
import os
import pstats
import random
import shutil
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from berichten.domain import model
from berichten.domain.berichtsoorten import Standaard
from declaratie.domain.toewijzingstand import Omvang, ToewijzingKopie
from declaratie.domain.volume import kalenderweken, maximaal_in_productperiode
from runtime.domein import Uitvoeringsvariant, Wet

MAAND = (date(2026, 10, 1), date(2026, 10, 31))
VORIGE_MAAND = (date(2026, 9, 1), date(2026, 9, 30))
GEMEENTEN = ("0356", "0321", "0353", "0331", "1961")  # Lekstroom: Nieuwegein, Houten, IJsselstein, Lopik, Vijfheerenlanden
AANTAL_AANBIEDERS = 40  # the first half Wmo, the second half Jeugdwet
STANDAARD_VAN_WET = {Wet.WMO: Standaard.IWMO, Wet.JEUGDWET: Standaard.IJW}
ONBEKEND = 90_000_000  # added to a ToewijzingNummer: one that does not exist (9338)

INSP, OUTPUT = Uitvoeringsvariant.INSPANNINGSGERICHT, Uitvoeringsvariant.OUTPUTGERICHT


@dataclass(frozen=True)
class Product:
    wet: Wet
    categorie: str
    code: str
    variant: Uitvoeringsvariant
    eenheid: str  # WJ756: 01 minuut, 04 uur, 14 etmaal, 16 dagdeel, 82 stuks, 83 euro
    volume: int | None  # per frequentie; None: budget
    frequentie: str | None  # WMO757: 2 per week, 4 per maand
    tarief: int  # eurocent per eenheid


PRODUCTEN = {
    Wet.WMO: (
        Product(Wet.WMO, "01", "01A01", INSP, "04", 3, "2", 3150),  # hulp bij het huishouden, uren per week
        Product(Wet.WMO, "02", "02A01", INSP, "04", 4, "2", 6245),  # begeleiding individueel
        Product(Wet.WMO, "07", "07A01", INSP, "16", 4, "2", 4890),  # dagbesteding, dagdelen per week
        Product(Wet.WMO, "03", "03A01", INSP, "04", 5, "2", 5410),  # persoonlijke verzorging
    ),
    Wet.JEUGDWET: (
        Product(Wet.JEUGDWET, "45", "45A48", INSP, "01", 120, "2", 175),  # ambulant specialistisch, minuten per week
        Product(Wet.JEUGDWET, "45", "45A01", OUTPUT, "82", 1, "4", 185000),  # ambulant regulier, outputgericht per maand
        Product(Wet.JEUGDWET, "43", "43A16", INSP, "14", 7, "2", 27500),  # verblijf, etmalen per week
        Product(Wet.JEUGDWET, "45", "45A53", OUTPUT, "83", None, None, 1),  # ambulant met een budget (eurocent)
    ),
}
BUDGET = 600_000  # eurocent over the toewijzing

# The injected errors: retourcode -> share of the prestaties (together about 5 %).
FOUTEN = {
    "9338": 0.00625,  # ToewijzingNummer unknown
    "9346": 0.00625,  # IngediendBedrag is not GeleverdVolume × ProductTarief
    "0611": 0.00625,  # ProductTarief is not the contract's
    "9307": 0.00625,  # ProductPeriode begins before the toewijzing
    "9308": 0.00625,  # ProductPeriode ends after the toewijzing
    "9321": 0.00625,  # GeleverdVolume over the toewijzing's Omvang in the period
    "8017": 0.00625,  # a credit of a debet that was never accepted (an extra prestatie)
    "8021": 0.00625,  # ReferentieNummer used in an earlier 323 (last month's)
}


def elfproef_bsns(start: int = 100_000_000) -> Iterator[str]:
    n = start
    while True:
        s = f"{n:09d}"
        n += 1
        if (sum(w * int(d) for w, d in zip(range(9, 1, -1), s)) - int(s[8])) % 11 == 0:
            yield s


def agb(i: int) -> str:
    return f"981{i + 10:05d}"


def wet_van(aanbieder: int) -> Wet:
    return Wet.WMO if aanbieder < AANTAL_AANBIEDERS // 2 else Wet.JEUGDWET


@dataclass
class Declaratie323:
    gemeentecode: str
    agb: str
    wet: Wet
    xml: bytes
    prestaties: int


@dataclass
class Regio:
    prestaties_gevraagd: int
    clienten: int
    toewijzingen: list[ToewijzingKopie] = field(default_factory=list)
    contracten: list[tuple] = field(default_factory=list)  # rows for declaratie.contract
    historie: list[tuple] = field(default_factory=list)  # last month's prestaties: rows for declaratie.prestatie
    historie_declaraties: list[tuple] = field(default_factory=list)  # rows for declaratie.declaratie
    berichten: list[Declaratie323] = field(default_factory=list)
    ingebracht: Counter = field(default_factory=Counter)  # retourcode -> injected prestaties

    @property
    def prestaties(self) -> int:
        return sum(b.prestaties for b in self.berichten)


def _maximum(t: ToewijzingKopie, begin: date, eind: date) -> int:
    m = maximaal_in_productperiode(t, t.wet, begin, eind)
    assert m is not None and t.omvang is not None
    # Wmo hulp bij het huishouden may take 6 weekvolumes in a month, but the total counts calendar weeks
    return min(m, kalenderweken(max(begin, t.ingangsdatum), min(eind, t.einddatum or eind)) * t.omvang.volume)


def maak_regio(prestaties: int = 500_000, clienten: int = 50_000, seed: int = 323) -> Regio:
    """The region and its month of 323s (model objects encoded by the codec, so XSD-valid by construction)."""
    from devstack.aanbieder import codec, xsd_versie

    rnd = random.Random(seed)
    regio = Regio(prestaties, clienten)
    for g in GEMEENTEN:
        for a in range(AANTAL_AANBIEDERS):
            for p in PRODUCTEN[wet_van(a)]:
                regio.contracten.append((str(uuid.uuid4()), g, agb(a), p.wet.value, p.categorie, p.code, p.variant.value, p.tarief, p.eenheid, date(2026, 1, 1), None))
    combos = [(g, a) for g in GEMEENTEN for a in range(AANTAL_AANBIEDERS)]
    foutkans = sum(FOUTEN.values())
    toewijzingen = round(prestaties / (1 + FOUTEN["8017"]))
    per_client, rest = divmod(toewijzingen, clienten)
    bsns = elfproef_bsns()
    nummer = 10_000_000
    codes = list(FOUTEN)
    gewichten = [FOUTEN[c] for c in codes if c != "8017"]
    inhoud_codes = [c for c in codes if c != "8017"]
    dagtekening = date.today()
    clienten_per_combo: dict[tuple[str, int], list[tuple[str, list[model.Prestatie]]]] = {c: [] for c in combos}
    for ci in range(clienten):
        g, a = combos[ci % len(combos)]
        wet, bsn, regels = wet_van(a), next(bsns), []
        for k in range(per_client + (1 if ci < rest else 0)):
            nummer += 1
            product = PRODUCTEN[wet][(ci + k) % len(PRODUCTEN[wet])]
            fout = rnd.choices(inhoud_codes, gewichten)[0] if rnd.random() < foutkans - FOUTEN["8017"] else None
            if product.volume is None and fout in ("0611", "9346", "9321"):
                fout = "9338"  # budget (euro) prestaties carry no ProductTarief and have no Omvang
            ingang = date(2025, 7, 1).replace(month=rnd.randint(7, 12)) if rnd.random() < 0.5 else date(2026, rnd.randint(1, 6), 1)
            einde: date | None = date(2027, 6, 30) if rnd.random() < 0.8 else None
            breuk = rnd.random()
            if fout == "9307" or (fout is None and breuk < 0.03):
                ingang = date(2026, 10, rnd.randint(5, 20))
            elif fout == "9308" or (fout is None and breuk < 0.06):
                einde = date(2026, 10, rnd.randint(5, 20))
            t = ToewijzingKopie(
                gemeentecode=g, wet=wet, toewijzing_nummer=nummer, bsn=bsn, agb=agb(a), categorie=product.categorie, code=product.code,
                ingangsdatum=ingang, einddatum=einde, uitvoeringsvariant=product.variant,
                omvang=Omvang(product.volume, product.eenheid, product.frequentie) if product.volume is not None else None,  # type: ignore[arg-type]
                budget=BUDGET if product.volume is None else None,
            )
            regio.toewijzingen.append(t)
            # last month's prestatie (judged and accepted), for toewijzingen that ran then
            if ingang <= VORIGE_MAAND[0] and (einde is None or einde >= VORIGE_MAAND[1]):
                if product.volume is None:
                    volume = bedrag = rnd.randint(30_000, 50_000)
                    tarief = None
                else:
                    volume = max(1, _maximum(t, *VORIGE_MAAND) * rnd.randint(50, 80) // 100)
                    tarief, bedrag = product.tarief, volume * product.tarief
                regio.historie.append(
                    (f"S{nummer}", None, nummer, product.categorie, product.code, VORIGE_MAAND[0], VORIGE_MAAND[1], volume, product.eenheid, tarief, bedrag, "D", bsn, g, wet.value, agb(a))
                )
            elif fout == "8021":
                fout = "9338"
            begin, eind = max(MAAND[0], ingang), min(MAAND[1], einde or MAAND[1])
            if fout == "9307":
                begin = MAAND[0]
            if fout == "9308":
                eind = MAAND[1]
            referentie, toewijzing_nummer = f"O{nummer}", nummer
            if product.volume is None:
                volume = bedrag = rnd.randint(30_000, 50_000)
                tarief = None
            else:
                maximum = _maximum(t, max(begin, ingang), min(eind, einde or eind))
                volume = max(1, maximum * rnd.randint(50, 80) // 100)
                tarief = product.tarief
                if fout == "9321":
                    volume = (maximaal_in_productperiode(t, wet, begin, eind) or 0) + rnd.randint(1, 3)
                if fout == "0611":
                    tarief += rnd.choice((-5, 5, 10))
                bedrag = volume * tarief
                if fout == "9346":
                    bedrag += rnd.choice((-100, 1, 250))
            if fout == "9338":
                toewijzing_nummer = ONBEKEND + nummer
            if fout == "8021":
                referentie = f"S{nummer}"
            if fout:
                regio.ingebracht[fout] += 1
            regels.append(_prestatie(referentie, None, toewijzing_nummer, product, begin, eind, volume, tarief, bedrag, "D"))
            if rnd.random() < FOUTEN["8017"] and fout is None:
                regio.ingebracht["8017"] += 1
                kv = max(1, volume // 4)
                kb = kv if tarief is None else kv * tarief
                regels.append(_prestatie(f"K{nummer}", f"X{nummer}", nummer, product, begin, eind, kv, tarief, kb, "C"))
        clienten_per_combo[(g, a)].append((bsn, regels))
    for (g, a), cls in clienten_per_combo.items():
        if not cls:
            continue
        wet = wet_van(a)
        standaard = STANDAARD_VAN_WET[wet]
        dc = model.DeclaratieClient
        alle = [p for _, regels in cls for p in regels]
        totaal = sum(p.ingediend_bedrag.bedrag * (-1 if p.ingediend_bedrag.debet_credit == "C" else 1) for p in alle)
        header = model.Header(
            bericht_code=codec().schemas.type_for(standaard, "323").berichtcode,
            bericht_versie=3,
            bericht_subversie=2,
            afzender=agb(a),
            ontvanger=g,
            bericht_identificatie=model.BerichtIdentificatie(identificatie=uuid.UUID(int=rnd.getrandbits(128)).hex[:12], dagtekening=dagtekening),
            xsd_versie=xsd_versie("323", standaard),
        )
        bericht = model.DeclaratieBericht(
            header=header,
            declaratie=model.Declaratie(
                declaratie_nummer=f"{g}{agb(a)[-4:]}2610",
                declaratie_periode=model.GeslotenPeriode(begindatum=MAAND[0], einddatum=MAAND[1]),
                declaratie_dagtekening=dagtekening,
                totaal_ingediend_bedrag=model.TotaalBedragMetDC(totaal_bedrag=abs(totaal), debet_credit="C" if totaal < 0 else "D"),
                clienten=[dc(bsn=bsn, prestaties=regels) for bsn, regels in cls],
            ),
        )
        regio.berichten.append(Declaratie323(g, agb(a), wet, codec().encode(bericht), len(alle)))
        regio.historie_declaraties.append((str(uuid.UUID(int=rnd.getrandbits(128))), g, wet.value, agb(a), f"{g}{agb(a)[-4:]}2609", *VORIGE_MAAND))
    _koppel_historie(regio)
    return regio


def _koppel_historie(regio: Regio) -> None:
    """Gives last month's prestaties the bericht_id of their combination's September 323."""
    vorige = {(r[1], r[3]): r[0] for r in regio.historie_declaraties}
    regio.historie = [(*h, vorige[(h[13], h[15])]) for h in regio.historie]


def _prestatie(referentie: str, vorig: str | None, nummer: int, product: Product, begin: date, eind: date, volume: int, tarief: int | None, bedrag: int, dc: str) -> model.Prestatie:
    return model.Prestatie(
        product_referentie=model.Referentie(referentie_nummer=referentie, vorig_referentie_nummer=vorig),
        toewijzing_nummer=nummer,
        product_categorie=product.categorie,
        product_code=product.code,
        product_periode=model.GeslotenPeriode(begindatum=begin, einddatum=eind),
        geleverd_volume=volume,
        eenheid=product.eenheid,
        product_tarief=tarief,
        ingediend_bedrag=model.BedragMetDC(bedrag=bedrag, debet_credit=dc),
    )


# ---------------------------------------------------------------- into the database


def seed(database_url: str, regio: Regio) -> None:
    """The region straight into the declaratie schema (COPY), after its migrations ran."""
    import psycopg

    with psycopg.connect(database_url) as conn, conn.cursor() as cur:
        with cur.copy(
            "COPY declaratie.contract (id, gemeentecode, agb, wet, productcategorie, productcode, uitvoeringsvariant, tarief_eurocent, eenheid, begindatum, einddatum) FROM STDIN"
        ) as copy:
            for row in regio.contracten:
                copy.write_row(row)
        with cur.copy(
            "COPY declaratie.toewijzing_kopie (gemeentecode, wet, toewijzing_nummer, versie, bsn, agb, categorie, code, ingangsdatum, einddatum, "
            "uitvoeringsvariant, volume, eenheid, frequentie, budget, verwijderd) FROM STDIN"
        ) as copy:
            for t in regio.toewijzingen:
                o = t.omvang
                copy.write_row(
                    (t.gemeentecode, t.wet.value, t.toewijzing_nummer, 1, t.bsn, t.agb, t.categorie, t.code, t.ingangsdatum, t.einddatum, t.uitvoeringsvariant.value,
                     o.volume if o else None, o.eenheid if o else None, o.frequentie if o else None, t.budget, False)
                )  # fmt: skip
        with cur.copy(
            "COPY declaratie.declaratie (bericht_id, gemeentecode, wet, agb, declaratie_nummer, periode_begindatum, periode_einddatum, ingediend_eurocent, "
            "toegekend_eurocent, aantal_prestaties, aantal_afgewezen, geheel_afgewezen) FROM STDIN"
        ) as copy:
            totalen: Counter = Counter()
            aantallen: Counter = Counter()
            for h in regio.historie:
                totalen[h[16]] += h[10]
                aantallen[h[16]] += 1
            for d in regio.historie_declaraties:
                copy.write_row((*d, totalen[d[0]], totalen[d[0]], aantallen[d[0]], 0, False))
        with cur.copy(
            "COPY declaratie.prestatie (referentie_nummer, vorig_referentie_nummer, toewijzing_nummer, product_categorie, product_code, begindatum, einddatum, "
            "geleverd_volume, eenheid, product_tarief, bedrag, debet_credit, bsn, gemeentecode, wet, agb, bericht_id, toegekend) FROM STDIN"
        ) as copy:
            for h in regio.historie:
                copy.write_row((*h, True))
        conn.commit()
        cur.execute("ANALYZE declaratie.contract; ANALYZE declaratie.toewijzing_kopie; ANALYZE declaratie.prestatie; ANALYZE declaratie.declaratie")
        conn.commit()


# ---------------------------------------------------------------- the pipeline


def vmhwm_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


@dataclass
class Uitkomst:
    workers: int
    seconden: float
    verzenden: float  # until every 323 was accepted by the hub
    klaar: int  # 323s retour_verzonden
    berichten: int
    prestaties: int
    piek_kb: dict[str, int]
    controles: list[str]


def _query(url: str, sql: str) -> list[tuple]:
    from devstack.testing import sql as run

    return run(url, sql)


def draai(regio: Regio, workers: int, root: Path, wacht_seconden: float) -> Uitkomst:
    """One run on a fresh database and NATS: berichten + `workers` declaratie processes; every 323 sent as its aanbieder."""
    import grpc
    from zorgketen.berichten.v1 import berichten_pb2, berichten_pb2_grpc

    from devstack.testing import metadata, private_stack
    from runtime.tenancy import Role, Tenant

    run_dir = root / f"n{workers}"
    run_dir.mkdir()
    run_dir.chmod(0o755)
    with private_stack(run_dir) as stack:
        url = stack.url
        berichten = stack.start("berichten")
        declaraties = [stack.start("declaratie") for _ in range(workers)]
        seed(url, regio)
        channel = grpc.insecure_channel(berichten.address, options=[("grpc.max_send_message_length", 64 << 20), ("grpc.max_receive_message_length", 64 << 20)])
        stub = berichten_pb2_grpc.BerichtenStub(channel)

        def ontvang(b: Declaratie323) -> str:
            tenant = Tenant.aanbieder(Role.SYSTEEM, f"partner-{b.agb}", b.agb)
            r = stub.Ontvang(berichten_pb2.OntvangRequest(xml=b.xml), metadata=metadata(tenant), timeout=300)
            if r.status != "geaccepteerd":
                raise RuntimeError(f"323 of {b.agb} to {b.gemeentecode} not accepted: {r.status} {r.fout_melding} {list(r.xsd_fouten)[:2]} {list(r.bevindingen)[:2]}")
            return r.id

        begin = time.perf_counter()
        with ThreadPoolExecutor(4) as pool:
            ids = list(pool.map(ontvang, regio.berichten))
        verzonden = time.perf_counter() - begin
        klaar = 0
        while time.perf_counter() - begin < wacht_seconden:
            klaar = _query(url, "SELECT count(*) FROM berichten.bericht WHERE richting = 'in' AND berichtsoort = '323' AND status = 'retour_verzonden'")[0][0]
            if klaar == len(ids):
                break
            time.sleep(0.25)
        seconden = time.perf_counter() - begin
        channel.close()
        piek = {"berichten": vmhwm_kb(berichten.process.pid)}  # type: ignore[union-attr]
        for i, d in enumerate(declaraties, start=1):
            piek[f"declaratie-{i}"] = vmhwm_kb(d.process.pid)  # type: ignore[union-attr]
        controles = _controles(url, regio, ids)
        return Uitkomst(workers, seconden, verzonden, klaar, len(ids), regio.prestaties, piek, controles)


def _controles(url: str, regio: Regio, ids: Sequence[str]) -> list[str]:
    """The outcome: a 325 in the postbus per 323, rejected vs injected per retourcode, nothing judged twice."""
    lijst = ",".join(f"'{i}'" for i in ids)
    retour = _query(url, f"SELECT count(*) FROM berichten.bericht b JOIN berichten.postbus p ON p.bericht_id = b.id WHERE b.berichtsoort = '325' AND b.heen_id IN ({lijst})")[0][0]
    alle_325 = _query(url, "SELECT count(*) FROM berichten.bericht WHERE berichtsoort = '325'")[0][0]
    per_bericht = _query(url, f"SELECT bericht_id, count(*) FROM declaratie.declaratie WHERE bericht_id IN ({lijst}) GROUP BY bericht_id")
    dubbel = sum(1 for _, n in per_bericht if n > 1)
    prestaties_dubbel = _query(
        url,
        f"SELECT count(*) FROM declaratie.declaratie d WHERE d.bericht_id IN ({lijst}) "
        "AND d.aantal_prestaties <> (SELECT count(*) FROM declaratie.prestatie p WHERE p.bericht_id = d.bericht_id)",
    )[0][0]
    afgewezen = dict(
        _query(url, f"SELECT code, count(*) FROM declaratie.prestatie p, jsonb_array_elements_text(p.retour_codes) code WHERE p.bericht_id IN ({lijst}) GROUP BY code")
    )
    prestaties_afgewezen, prestaties = _query(url, f"SELECT count(*) FILTER (WHERE NOT toegekend), count(*) FROM declaratie.prestatie WHERE bericht_id IN ({lijst})")[0]
    regels = [
        f"325s in the postbus: {retour} for {len(ids)} 323s ({alle_325} 325s in all) {'OK' if retour == len(ids) == alle_325 else 'MISMATCH'}",
        f"judged: {len(per_bericht)} of {len(ids)} 323s, {dubbel} judged twice, {prestaties_dubbel} with a prestatie count other than their own; "
        f"prestaties stored {prestaties} of {regio.prestaties}",
        f"rejected prestaties {prestaties_afgewezen} ({prestaties_afgewezen / max(prestaties, 1):.2%}), injected {sum(regio.ingebracht.values())}",
        "per retourcode   injected  rejected",
    ]
    for code in sorted(set(regio.ingebracht) | set(afgewezen)):
        regels.append(f"  {code}           {regio.ingebracht.get(code, 0):8d}  {afgewezen.get(code, 0):8d}{'' if regio.ingebracht.get(code, 0) == afgewezen.get(code, 0) else '  <-'}")
    return regels


# ---------------------------------------------------------------- baseline and profile


def bare_lxml(regio: Regio) -> float:
    """Bare lxml parse + XSD validation of the same files (berichten.bench's baseline), per standaard."""
    from berichten.bench import _bare

    seconden = 0.0
    for wet in (Wet.WMO, Wet.JEUGDWET):
        xmls = [b.xml for b in regio.berichten if b.wet is wet]
        if xmls:
            seconden += _bare(xmls)
    return seconden


def profiel(regio: Regio, top: int = 12) -> list[str]:
    """One 323 through what the pipeline does with it, in this process, phase by phase: the hub's levels 1
    and 2, the declaratie service's decode, its Stand queries, the rules and the inserts (on a fresh
    database with the region, rolled back), and cProfile's top costs over it all."""
    from devstack.infra import LocalPostgres
    from devstack.testing import ServiceProcess

    b = max(regio.berichten, key=lambda b: b.prestaties)
    root = Path(tempfile.mkdtemp(prefix="zorgketen-bench-profiel-"))
    root.chmod(0o755)
    pg = LocalPostgres(root / "postgres", fast=True)
    try:
        pg.initialize()
        pg.start()
        url = pg.create_database("zorgketen")
        ServiceProcess("declaratie", {"ZK_DATABASE_URL": url, "ZK_NATS_URL": "nats://127.0.0.1:9", "ZK_GRPC_LISTEN": "127.0.0.1:9"}, root).migrate()
        seed(url, regio)
        fasen: dict[str, float] = {}
        profiler = cProfile.Profile()
        asyncio.run(_een_323(url, b, fasen, profiler))
    finally:
        pg.stop()
        shutil.rmtree(root, ignore_errors=True)
    totaal = sum(fasen.values())
    regels = [f"one 323 ({b.prestaties} prestaties, {len(b.xml) / 1e6:.1f} MB), in one process: {totaal:.2f}s"]
    regels += [f"  {naam:<34} {s:6.2f}s {s / totaal:6.1%}" for naam, s in fasen.items()]
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(top)
    regels.append(f"  cProfile, top {top} by own time:")
    body = out.getvalue().splitlines()
    start = next(i for i, line in enumerate(body) if "ncalls" in line)
    regels += ["    " + line.strip() for line in body[start : start + top + 1] if line.strip()]
    return regels


async def _een_323(url: str, b: Declaratie323, fasen: dict[str, float], profiler: cProfile.Profile) -> None:
    from berichten.codec.codec import Codec
    from berichten.controle import Controleur
    from declaratie import handlers
    from declaratie.adapters.controle_repository import ControleRepository
    from declaratie.adapters.tables import metadata
    from declaratie.domain import controle
    from runtime.db import Database

    controleur = Controleur()
    controleur.controleer(regio_klein_xml(), date.today())  # schemas, rule metadata, code lists
    controle.regelset()
    profiler.enable()
    t = time.perf_counter()
    uitslag = controleur.controleer(b.xml, date.today())
    fasen["hub: levels 1+2 (berichten)"] = time.perf_counter() - t
    assert uitslag.geaccepteerd
    codec = Codec()
    t = time.perf_counter()
    bericht = codec.decode(b.xml).bericht
    fasen["declaratie: decode (parse+XSD+map)"] = time.perf_counter() - t
    assert isinstance(bericht, model.DeclaratieBericht)
    db = Database(url, metadata)
    db.connect()
    try:
        assert db.sessions is not None
        async with db.sessions() as session:
            repo = ControleRepository(session)
            bericht_id = str(uuid.uuid4())
            t = time.perf_counter()
            stand = await repo.stand(bericht_id, b.gemeentecode, b.wet, b.agb, bericht)
            fasen["declaratie: Stand (queries)"] = time.perf_counter() - t
            t = time.perf_counter()
            bevindingen = controle.beoordeel(bericht, stand)
            toegekend, _, totaal = controle.toegekend(bericht, bevindingen)
            codes = handlers._retourcodes_per_prestatie(bericht, bevindingen)
            fasen["declaratie: rules (level 3+4)"] = time.perf_counter() - t
            t = time.perf_counter()
            await repo.bewaar_declaratie(bericht_id, b.gemeentecode, b.wet, b.agb, bericht, toegekend, codes, totaal)
            await session.flush()
            fasen["declaratie: inserts"] = time.perf_counter() - t
            profiler.disable()
            await session.rollback()
    finally:
        await db.dispose()


def regio_klein_xml() -> bytes:
    return maak_regio(20, 2).berichten[0].xml


# ---------------------------------------------------------------- make bench


def _grootte() -> tuple[int, int, list[int]]:
    args = [a for a in sys.argv[1:] if not a.startswith("-")]
    prestaties = int(args[0]) if args else int(os.environ.get("ZK_BENCH_PRESTATIES", "500000"))
    clienten = int(args[1]) if len(args) > 1 else int(os.environ.get("ZK_BENCH_CLIENTEN", str(max(1, prestaties // 10))))
    workers = [int(n) for n in os.environ.get("ZK_BENCH_WORKERS", "1,2").split(",") if n.strip()]
    return prestaties, clienten, workers


def main() -> None:
    prestaties, clienten, workers = _grootte()
    print(f"declaratie period close — {prestaties:,} prestaties for {clienten:,} cliënten in {MAAND[0]:%Y-%m} through hub → declaratie → 325 (ZK_BENCH_PRESTATIES / ZK_BENCH_CLIENTEN)")
    t = time.perf_counter()
    regio = maak_regio(prestaties, clienten)
    mb = sum(len(b.xml) for b in regio.berichten) / 1e6
    print(
        f"  region: {len(GEMEENTEN)} gemeenten, {AANTAL_AANBIEDERS} aanbieders, {len(regio.contracten)} contracten, {len(regio.toewijzingen):,} toewijzingen, "
        f"{len(regio.historie):,} prestaties of {VORIGE_MAAND[0]:%Y-%m} as history; {len(regio.berichten)} 323s, {regio.prestaties:,} prestaties, "
        f"{mb:.0f} MB (largest {max(len(b.xml) for b in regio.berichten) / 1e6:.1f} MB); generated in {time.perf_counter() - t:.0f}s"
    )
    from berichten.controle import Controleur

    controleur = Controleur()
    steekproef = regio.berichten[:: max(1, len(regio.berichten) // 5)]
    for b in steekproef:
        uitslag = controleur.controleer(b.xml, date.today())
        assert uitslag.geaccepteerd, (b.agb, b.gemeentecode, uitslag.decoded.xsd_fouten[:3], uitslag.bevindingen[:3])
    print(f"  sample of {len(steekproef)} 323s passes levels 1 and 2")
    bare = bare_lxml(regio)
    print(f"  bare lxml parse + XSD validation of all {len(regio.berichten)} files: {bare:.1f}s ({mb / bare:.1f} MB/s, one core)")
    wacht = float(os.environ.get("ZK_BENCH_TIMEOUT", str(max(300, prestaties / 200))))
    root = Path(tempfile.mkdtemp(prefix="zorgketen-bench-"))
    root.chmod(0o755)
    try:
        for n in workers:
            u = draai(regio, n, root, wacht)
            klaar = "" if u.klaar == u.berichten else f"  UNFINISHED: {u.klaar} of {u.berichten} 323s answered after {wacht:.0f}s"
            print(
                f"  N={n} declaratie worker{'s' if n > 1 else ' '}: whole month {u.seconden:6.1f}s (sent in {u.verzenden:.1f}s) = {u.prestaties / u.seconden:7.0f} prestaties/s, "
                f"{u.berichten / u.seconden:5.2f} 323s/s | ratio to bare lxml {u.seconden / bare:5.1f}x | target < 300s: {'met' if u.seconden < 300 and not klaar else 'NOT met'}{klaar}"
            )
            print("    peak memory (VmHWM): " + ", ".join(f"{naam} {kb / 1024:.0f} MB" for naam, kb in u.piek_kb.items()))
            for regel in u.controles:
                print("    " + regel)
            sys.stdout.flush()
    finally:
        shutil.rmtree(root, ignore_errors=True)
    if os.environ.get("ZK_BENCH_PROFIEL", "1") != "0":
        for regel in profiel(regio):
            print("  " + regel)


if __name__ == "__main__":
    main()
