"""The demo regie over real PostgreSQL and NATS with the berichten, indicatie, declaratie and
toewijzing services as processes: after demo.load and demo_regie.load on a small region, the
toewijzing service shows cliënten on the toewijslijst, open verzoeken, and started, temporarily
stopped and stopped leveringen; the 301s are answered and gone from the postbussen; last month is
declared (323 → 325, some declaraties partly rejected, the 325s acknowledged) and each gemeente has the
voorlopige afrekening of every aanbieder that declared, adding up to its toegekende declaraties; and
running the regie again sends nothing and changes nothing."""

from __future__ import annotations

import copy
from datetime import date
from typing import Any

import grpc
import pytest
from zorgketen.berichten.v1 import berichten_pb2, berichten_pb2_grpc
from zorgketen.common.v1 import common_pb2
from zorgketen.declaratie.v1 import declaratie_pb2, declaratie_pb2_grpc
from zorgketen.toewijzing.v1 import toewijzing_pb2, toewijzing_pb2_grpc

from devstack import demo, demo_regie
from devstack.testing import TOKEN, metadata
from runtime.tenancy import Role, Tenant

pytestmark = pytest.mark.integration


def kleine_regio() -> dict[str, Any]:
    """The demo region cut down to 16 cliënten, each actieve one with a beschikking; three quarters of
    the toewijzingen start, so that some care runs last month (one 323 with two prestaties)."""
    region = copy.deepcopy(demo.load_region())
    region["clienten"]["aantal"] = 16
    region["regie"]["aandeel_start"] = 0.75
    region["beschikkingen"]["aandeel"] = 1.0
    region["beschikkingen"]["aandeel_toewijslijst"] = 0.35
    region["regie"]["verzoeken"] = 2
    region["regie"]["definitief"] = [g["code"] for g in region["gemeenten"]]  # wherever the few cliënten live
    return region


def _stand(toewijzing: toewijzing_pb2_grpc.ToewijzingStub, gemeente: Tenant, bsns: list[str]) -> dict[str, Any]:
    """What the gemeente sees: every levering of these cliënten, the verzoeken and the toewijslijst."""
    md = metadata(gemeente)
    leveringen = {
        bsn: sorted(
            (lv.soort, lv.toewijzing_nummer, lv.begindatum.value, lv.einddatum.value, lv.reden_beeindiging, lv.aanbieder.value, lv.bericht_id)
            for lv in toewijzing.ListLeveringen(toewijzing_pb2.ListLeveringenRequest(bsn=common_pb2.Bsn(value=bsn)), metadata=md, timeout=10).leveringen
            if not lv.verwijderd
        )
        for bsn in bsns
    }
    verzoeken = sorted(
        (v.id, v.status, v.aanbieder.value, v.bsn.value, v.referentie_aanbieder)
        for v in toewijzing.ListVerzoeken(toewijzing_pb2.ListVerzoekenRequest(page=common_pb2.PageRequest(page_size=100)), metadata=md, timeout=10).verzoeken
    )
    lijst = sorted(
        (i.id, i.status, i.bsn.value)
        for i in toewijzing.ListToewijslijst(toewijzing_pb2.ListToewijslijstRequest(page=common_pb2.PageRequest(page_size=100)), metadata=md, timeout=10).inschrijvingen
    )
    toewijzingen = sorted(
        (t.toewijzing_nummer, t.bsn.value, t.aanbieder.value, t.status, t.versie)
        for t in toewijzing.ListToewijzingen(toewijzing_pb2.ListToewijzingenRequest(page=common_pb2.PageRequest(page_size=100)), metadata=md, timeout=10).toewijzingen
    )
    return {"leveringen": leveringen, "verzoeken": verzoeken, "toewijslijst": lijst, "toewijzingen": toewijzingen}


def _declaraties(declaratie: declaratie_pb2_grpc.DeclaratieStub, region: dict[str, Any]) -> list[declaratie_pb2.DeclaratieOverzicht]:
    """The declaraties of the demo aanbieders, as each sees its own."""
    result = []
    for a in region["aanbieders"]:
        partner = Tenant.aanbieder(Role.SYSTEEM, f"demo-aanbieder-{a['agb']}", a["agb"])
        result.extend(
            declaratie.ListDeclaraties(declaratie_pb2.ListDeclaratiesRequest(page=common_pb2.PageRequest(page_size=500)), metadata=metadata(partner), timeout=10).declaraties
        )
    return result


def _afrekeningen(declaratie: declaratie_pb2_grpc.DeclaratieStub, region: dict[str, Any]) -> list[declaratie_pb2.Afrekening]:
    financieel = Tenant.gemeente(Role.FINANCIEEL_MEDEWERKER, "financieel-regio", [g["code"] for g in region["gemeenten"]])
    return list(
        declaratie.ListAfrekeningen(declaratie_pb2.ListAfrekeningenRequest(page=common_pb2.PageRequest(page_size=500)), metadata=metadata(financieel), timeout=10).afrekeningen
    )


async def test_demo_regie_makes_every_state_once(start_service):  # type: ignore[no-untyped-def]
    berichten, indicatie, declaratie = start_service("berichten"), start_service("indicatie"), start_service("declaratie")
    toewijzing_service = start_service(
        "toewijzing", ZK_BERICHTEN_ADDR=berichten.address, ZK_INDICATIE_ADDR=indicatie.address, ZK_DECLARATIE_ADDR=declaratie.address
    )
    region = kleine_regio()
    plan = demo_regie.maak_plan(region)
    gestart = [op for op in plan.opdrachten if op.start]
    tijdelijk = [op for op in plan.opdrachten if op.stop == demo_regie.TIJDELIJK]
    definitief = [op for op in plan.opdrachten if op.stop == demo_regie.DEFINITIEF]
    beschikkingen = demo.demo_beschikkingen(region)
    op_lijst = [b for b in beschikkingen if not b.producten[0].aanbieder.value]
    # the small region still holds every state
    assert plan.opdrachten and gestart and tijdelijk and definitief and plan.verzoeken and op_lijst

    loaded = await demo.load(indicatie.address, declaratie.address, TOKEN, region)
    assert loaded.beschikkingen_nieuw == len(beschikkingen)
    eerste = await demo_regie.load(berichten.address, toewijzing_service.address, declaratie.address, TOKEN, region)

    # what the regie sent: a 302 per toewijzing, a 305 per start, a 307 per stop, a 315 per verzoek, a 323 per
    # aanbieder, gemeente and wet with care last month; nothing refused but the prestaties made wrong on purpose
    assert eerste.verstuurd == {
        "302": len(plan.opdrachten),
        "305": len(gestart),
        "307": len(tijdelijk) + len(definitief),
        "315": len(plan.verzoeken),
        "323": eerste.declaraties,
    }
    assert (eerste.afgewezen, eerste.ontbrekend, eerste.zonder_325) == (0, 0, 0)
    assert (eerste.toewijzingen_actief, eerste.starts, eerste.tijdelijk_gestopt, eerste.gestopt) == (
        len(plan.opdrachten),
        len(gestart),
        len(tijdelijk),
        len(definitief),
    )
    assert (eerste.verzoeken_open, eerste.toewijslijst) == (len(plan.verzoeken), len(op_lijst))

    # the same, as the gemeente sees it through the toewijzing API
    gemeente = Tenant.gemeente(Role.GEMEENTE_CONSULENT, "consulent-regio", [g["code"] for g in region["gemeenten"]])
    with (
        grpc.insecure_channel(toewijzing_service.address) as tch,
        grpc.insecure_channel(berichten.address) as bch,
        grpc.insecure_channel(declaratie.address) as dch,
    ):
        toewijzing = toewijzing_pb2_grpc.ToewijzingStub(tch)
        bsns = sorted({b.bsn.value for b in beschikkingen})
        stand = _stand(toewijzing, gemeente, bsns)

        assert {t[3] for t in stand["toewijzingen"]} == {"actief"} and len(stand["toewijzingen"]) == len(plan.opdrachten)
        # filtered on one gemeente: exactly that gemeente's toewijzingen, and the gemeenten together all of them
        per_gemeente = {
            g["code"]: toewijzing.ListToewijzingen(
                toewijzing_pb2.ListToewijzingenRequest(gemeente=common_pb2.Gemeentecode(value=g["code"]), page=common_pb2.PageRequest(page_size=100)), metadata=metadata(gemeente), timeout=10
            ).toewijzingen
            for g in region["gemeenten"]
        }
        assert all(t.gemeente.value == code for code, lijst in per_gemeente.items() for t in lijst)
        assert sorted((t.toewijzing_nummer, t.bsn.value, t.aanbieder.value, t.status, t.versie) for lijst in per_gemeente.values() for t in lijst) == stand["toewijzingen"]
        assert sum(1 for lijst in per_gemeente.values() if lijst) > 1  # the filter had something to leave out
        assert sorted(i[2] for i in stand["toewijslijst"] if i[1] == "open") == sorted(b.bsn.value for b in op_lijst)
        assert sorted((v[1], v[2], v[3], v[4]) for v in stand["verzoeken"]) == sorted(
            ("open", v.agb, v.beschikking.bsn.value, v.referentie) for v in plan.verzoeken
        )
        ingang = region["beschikkingen"]["ingangsdatum"]
        for op in plan.opdrachten:
            soorten = [(lv[0], lv[2], lv[4], lv[5]) for lv in stand["leveringen"][op.bsn]]
            if not op.start:
                assert soorten == [], op
                continue
            wmo = op.beschikking.wet == common_pb2.WET_WMO
            verwacht = [("start", ingang, "", op.agb)]
            if op.stop == demo_regie.TIJDELIJK:
                verwacht.append(("stop", ingang, "20", op.agb))
            elif op.stop == demo_regie.DEFINITIEF:
                verwacht.append(("stop", ingang, "19" if wmo else "31", op.agb))  # volgens plan: WMO588 19, JZ588 31
            assert sorted(soorten) == sorted(verwacht), op
            for lv in stand["leveringen"][op.bsn]:
                if lv[0] == "stop":
                    assert ingang < lv[3] < date.today().isoformat()  # an Einddatum after the start, before the Dagtekening

        # every 301 answered and acknowledged: the demo aanbieders' postbussen hold no 301
        hub = berichten_pb2_grpc.BerichtenStub(bch)
        for a in region["aanbieders"]:
            partner = Tenant.aanbieder(Role.SYSTEEM, f"demo-aanbieder-{a['agb']}", a["agb"])
            postbus = hub.ListPostbus(berichten_pb2.ListPostbusRequest(page=common_pb2.PageRequest(page_size=100)), metadata=metadata(partner), timeout=10)
            assert [b.berichtsoort for b in postbus.berichten if b.berichtsoort in ("301", "325")] == [], a["agb"]

        # last month is declared: some prestaties granted, some declaraties partly rejected (9346 / 9338)
        declaraties_service = declaratie_pb2_grpc.DeclaratieStub(dch)
        financieel = Tenant.gemeente(Role.FINANCIEEL_MEDEWERKER, "financieel-regio", [g["code"] for g in region["gemeenten"]])
        begin, eind = demo_regie.vorige_maand(date.today())
        declaraties = [d for d in _declaraties(declaraties_service, region) if d.periode.begindatum.value == begin.isoformat()]
        assert len(declaraties) == eerste.declaraties > 0
        assert all(d.periode.einddatum.value == eind.isoformat() for d in declaraties)
        deels = [d for d in declaraties if d.aantal_afgewezen > 0 and d.toegekend_eurocent < d.ingediend_eurocent]
        assert deels and len(deels) == eerste.deels_afgewezen
        assert any(0 < d.toegekend_eurocent < d.ingediend_eurocent for d in deels)  # partly: another prestatie was granted
        codes = set()
        for d in deels:
            detail = declaraties_service.GetDeclaratie(declaratie_pb2.GetDeclaratieRequest(bericht_id=d.bericht_id), metadata=metadata(financieel), timeout=10)
            codes |= {c for p in detail.prestaties if not p.toegekend for c in p.retour_codes}
            for p in detail.prestaties:
                assert p.bedrag == p.geleverd_volume * p.product_tarief or not p.toegekend  # tarief × volume
        assert codes <= {"9346", "9338"} and codes

        # the voorlopige afrekening of last month per aanbieder per gemeente that declared, adding up
        afrekeningen = [a for a in _afrekeningen(declaraties_service, region) if a.periode.begindatum.value == begin.isoformat()]
        voorlopig = [a for a in afrekeningen if a.soort == "voorlopig"]
        assert sorted((a.gemeente.value, a.aanbieder.value) for a in voorlopig) == sorted({(d.gemeente.value, d.aanbieder.value) for d in declaraties})
        assert len(voorlopig) == eerste.voorlopige_afrekeningen == eerste.afrekeningen_gemaakt
        # … and in the gemeenten of regie.definitief the definitieve one, equal to it, and a payment file that reconciles
        definitief = [a for a in afrekeningen if a.soort == "definitief"]
        assert {(a.gemeente.value, a.aanbieder.value, a.toegekend_eurocent, a.saldo_eurocent) for a in definitief} == {
            (a.gemeente.value, a.aanbieder.value, a.toegekend_eurocent, a.saldo_eurocent) for a in voorlopig
        }
        assert len(definitief) == eerste.definitieve_afrekeningen == eerste.definitief_gemaakt and all(a.verschil_met_voorlopig_eurocent == 0 for a in definitief)
        for code in {a.gemeente.value for a in definitief}:
            eigen = [a for a in definitief if a.gemeente.value == code]
            bestand = declaraties_service.MaakBetaalbestand(
                declaratie_pb2.MaakBetaalbestandRequest(gemeente=common_pb2.Gemeentecode(value=code), datum=common_pb2.Datum(value=begin.isoformat()), formaat=declaratie_pb2.BETAALFORMAAT_CSV),
                metadata=metadata(financieel),
                timeout=10,
            )
            assert bestand.totaal_eurocent == sum(max(a.saldo_eurocent, 0) for a in eigen) and bestand.aantal_afrekeningen == len(eigen)
            assert bestand.terug_te_vorderen_eurocent == sum(max(-a.saldo_eurocent, 0) for a in eigen)
        for a in voorlopig:
            van = [d for d in declaraties if (d.gemeente.value, d.aanbieder.value) == (a.gemeente.value, a.aanbieder.value)]
            assert a.toegekend_eurocent == sum(d.toegekend_eurocent for d in van), a
            assert a.gedeclareerd_eurocent == sum(d.ingediend_eurocent for d in van), a
            assert a.saldo_eurocent == a.toegekend_eurocent - a.voorschot_eurocent
        assert any(a.toegekend_eurocent > 0 for a in afrekeningen)

        # a second run finds everything done: it sends nothing and nothing changes
        alle_declaraties = sorted(map(str, _declaraties(declaraties_service, region)))
        tweede = await demo_regie.load(berichten.address, toewijzing_service.address, declaratie.address, TOKEN, region, wacht=5)
        assert tweede.verstuurd == {} and (tweede.afgewezen, tweede.ontbrekend, tweede.zonder_325, tweede.afrekeningen_gemaakt, tweede.definitief_gemaakt) == (0, 0, 0, 0, 0)
        assert (tweede.declaraties, tweede.deels_afgewezen, tweede.voorlopige_afrekeningen) == (
            eerste.declaraties,
            eerste.deels_afgewezen,
            eerste.voorlopige_afrekeningen,
        )
        assert (tweede.toewijzingen_actief, tweede.starts, tweede.tijdelijk_gestopt, tweede.gestopt, tweede.verzoeken_open, tweede.toewijslijst) == (
            eerste.toewijzingen_actief,
            eerste.starts,
            eerste.tijdelijk_gestopt,
            eerste.gestopt,
            eerste.verzoeken_open,
            eerste.toewijslijst,
        )
        assert _stand(toewijzing, gemeente, bsns) == stand
        assert sorted(map(str, _declaraties(declaraties_service, region))) == alle_declaraties
        assert [a for a in _afrekeningen(declaraties_service, region) if a.periode.begindatum.value == begin.isoformat()] == afrekeningen
