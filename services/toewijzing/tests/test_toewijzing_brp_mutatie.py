"""BRP-mutaties end a cliënt's toewijzingen: overlijden (02) and verhuizing (07), grouped per aanbieder."""

from __future__ import annotations

from datetime import date

import pytest

from runtime.errors import DomainError
from toewijzing.domain.brp import BrpBesluit, bij_brp_gebeurtenis, lees_brp_gebeurtenis
from toewijzing.domain.toewijzing import Product, UitgesteldeVerwijdering, beeindig
from toewijzing.tests.voorbeelden import AGB, AGB_2, BSN, GEMEENTE, LATER, MOMENT, toewijzing


def event(subject, datum, **extra):
    return lees_brp_gebeurtenis(subject, {"bsn": BSN, "gemeentecode": GEMEENTE, "datum": datum, "kenmerk": "k1", "bron": "koppeling", **extra})


def test_overlijden_eindigt_op_datum_met_reden_02_per_aanbieder():
    a = toewijzing()
    b = toewijzing(toewijzing_nummer=101, agb=AGB_2, einddatum=None)
    groepen = bij_brp_gebeurtenis(event("indicatie.client.overleden", "2026-11-10"), [a, b], LATER).per_aanbieder
    assert set(groepen) == {AGB, AGB_2}
    for (v,) in groepen.values():
        assert (v.einddatum, v.reden_wijziging, v.toewijzingsmoment) == (date(2026, 11, 10), "02", LATER)


def test_verhuizing_eindigt_dag_voor_verhuisdatum_met_reden_07():
    groepen = bij_brp_gebeurtenis(event("indicatie.client.verhuisd", "2026-11-10", nieuwe_gemeentecode="0344"), [toewijzing()], LATER).per_aanbieder
    ((v,),) = groepen.values()
    assert (v.einddatum, v.reden_wijziging) == (date(2026, 11, 9), "07")


def test_toewijzing_die_later_begint_wordt_verwijderd():
    later = toewijzing(ingangsdatum=date(2026, 12, 1))
    ((v,),) = bij_brp_gebeurtenis(event("indicatie.client.overleden", "2026-11-10"), [later], LATER).per_aanbieder.values()
    assert v.is_verwijderd and v.reden_wijziging == "13"


def test_verhuizing_verwijdert_toewijzing_die_op_verhuisdatum_begint():
    op_dag = toewijzing(ingangsdatum=date(2026, 11, 10))
    ((v,),) = bij_brp_gebeurtenis(event("indicatie.client.verhuisd", "2026-11-10", nieuwe_gemeentecode="0344"), [op_dag], LATER).per_aanbieder.values()
    assert v.is_verwijderd


def test_al_geeindigde_andere_client_en_oude_versies_blijven_ongemoeid():
    geeindigd = toewijzing(einddatum=date(2026, 10, 31))
    andere_client = toewijzing(toewijzing_nummer=101, bsn="999900018")
    v1 = toewijzing(toewijzing_nummer=102, product=Product("03", "03A01"))
    v2 = beeindig(v1, date(2026, 11, 5), "05", MOMENT.replace(hour=11))
    assert bij_brp_gebeurtenis(event("indicatie.client.overleden", "2026-11-10"), [geeindigd, andere_client, v1, v2], LATER) == BrpBesluit()


def test_onbekend_subject_geweigerd():
    with pytest.raises(DomainError):
        lees_brp_gebeurtenis("indicatie.client.gewijzigd", {})


def test_tr385_overlijden_defers_the_deletion_of_a_toewijzing_with_approved_prestaties_and_ends_the_rest():
    # 101 begins after the day of death and has approved, non-credited prestaties: its deletion is deferred,
    # not made and not raised; 100 (another aanbieder) ends on the day of death as usual
    lopend = toewijzing(agb=AGB_2)
    later = toewijzing(toewijzing_nummer=101, product=Product("03", "03A01"), ingangsdatum=date(2026, 12, 1))
    besluit = bij_brp_gebeurtenis(event("indicatie.client.overleden", "2026-11-10"), [lopend, later], LATER, {(later.gemeentecode, later.wet, 101)})
    ((v,),) = besluit.per_aanbieder.values()
    assert (v.toewijzing_nummer, v.agb, v.einddatum, v.reden_wijziging) == (100, AGB_2, date(2026, 11, 10), "02")
    assert besluit.uitgesteld == (UitgesteldeVerwijdering(later.gemeentecode, later.wet, 101, later.bsn, later.agb, LATER),)
    assert besluit.uitgesteld[0].reden.startswith("TR385 (9385): toewijzing 101")
    assert besluit.versies == [v]
