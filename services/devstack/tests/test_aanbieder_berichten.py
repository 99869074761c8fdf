"""The aanbieder's messages the demo regie sends: a valid 315 for each planned verzoek, identificaties
derived deterministically within 12 characters, and a plan that is the same on every run."""

from datetime import date

from berichten.controle import Controleur
from berichten.domain import model
from berichten.domain.berichtsoorten import Standaard
from devstack import aanbieder, demo, demo_regie

DAG = date(2026, 11, 23)


def test_afgeleide_identificatie_is_deterministic_and_at_most_12_characters():
    a = aanbieder.afgeleide_identificatie("0356", "ZK0000000003", "302")
    assert a == aanbieder.afgeleide_identificatie("0356", "ZK0000000003", "302") and len(a) <= 12
    assert a != aanbieder.afgeleide_identificatie("0321", "ZK0000000003", "302")  # another gemeente's 301 with the same Identificatie


def test_plan_is_deterministic_and_has_every_state():
    region = demo.load_region()
    plan = demo_regie.maak_plan(region)
    assert plan == demo_regie.maak_plan(region)
    assert any(op.stop == demo_regie.TIJDELIJK for op in plan.opdrachten) and any(op.stop == demo_regie.DEFINITIEF for op in plan.opdrachten)
    assert len(plan.verzoeken) == region["regie"]["verzoeken"]
    assert len({(v.agb, v.referentie) for v in plan.verzoeken}) == len(plan.verzoeken)  # ReferentieAanbieder unique (TR347)


def test_verzoek_315_passes_levels_1_and_2():
    controleur = Controleur(aanbieder.codec())
    for standaard, product, omvang in (
        (Standaard.IWMO, model.Product(categorie="01", code="01A01"), model.Omvang(volume=3, eenheid="04", frequentie="2")),
        (Standaard.IJW, model.Product(categorie="45", code="45A48"), model.Omvang(volume=120, eenheid="01", frequentie="2")),
    ):
        data = aanbieder.verzoek_315(
            standaard,
            "98100004",
            "0356",
            bsn="999900018",
            geboortedatum=date(2012, 3, 4),
            geslacht="2",
            naam=model.VerkorteNaam(geslachtsnaam=model.Achternaam(achternaam="Bakker"), voorletters="S"),
            producten=[aanbieder.aangevraagd_product("DEMO-900000001", product, DAG, date(2026, 12, 31), omvang, "900000001", date(2026, 2, 1))],
            gezagsdrager_bekend="1" if standaard is Standaard.IJW else None,
            identificatie=aanbieder.afgeleide_identificatie("98100004", "315", "DEMO-900000001"),
            dagtekening=DAG,
        )
        uitslag = controleur.controleer(data, DAG)
        assert uitslag.geaccepteerd, (standaard, uitslag.bevindingen)
        assert aanbieder.codec().decode(data).bericht.client.aangevraagde_producten[0].verwijzer.type == "01"  # the gemeente
