"""BRP-mutaties end a cliënt's toewijzingen: overlijden (02) and verhuizing (07), grouped per aanbieder."""

from __future__ import annotations

from datetime import date

import pytest

from runtime.errors import DomainError
from toewijzing.domain.brp import bij_brp_gebeurtenis, lees_brp_gebeurtenis
from toewijzing.domain.toewijzing import Product, beeindig
from toewijzing.tests.voorbeelden import AGB, AGB_2, BSN, GEMEENTE, LATER, MOMENT, toewijzing


def event(subject, datum, **extra):
    return lees_brp_gebeurtenis(subject, {"bsn": BSN, "gemeentecode": GEMEENTE, "datum": datum, "kenmerk": "k1", "bron": "koppeling", **extra})


def test_overlijden_eindigt_op_datum_met_reden_02_per_aanbieder():
    a = toewijzing()
    b = toewijzing(toewijzing_nummer=101, agb=AGB_2, einddatum=None)
    groepen = bij_brp_gebeurtenis(event("indicatie.client.overleden", "2026-11-10"), [a, b], LATER)
    assert set(groepen) == {AGB, AGB_2}
    for (v,) in groepen.values():
        assert (v.einddatum, v.reden_wijziging, v.toewijzingsmoment) == (date(2026, 11, 10), "02", LATER)


def test_verhuizing_eindigt_dag_voor_verhuisdatum_met_reden_07():
    groepen = bij_brp_gebeurtenis(event("indicatie.client.verhuisd", "2026-11-10", nieuwe_gemeentecode="0344"), [toewijzing()], LATER)
    ((v,),) = groepen.values()
    assert (v.einddatum, v.reden_wijziging) == (date(2026, 11, 9), "07")


def test_toewijzing_die_later_begint_wordt_verwijderd():
    later = toewijzing(ingangsdatum=date(2026, 12, 1))
    ((v,),) = bij_brp_gebeurtenis(event("indicatie.client.overleden", "2026-11-10"), [later], LATER).values()
    assert v.is_verwijderd and v.reden_wijziging == "13"


def test_verhuizing_verwijdert_toewijzing_die_op_verhuisdatum_begint():
    op_dag = toewijzing(ingangsdatum=date(2026, 11, 10))
    ((v,),) = bij_brp_gebeurtenis(event("indicatie.client.verhuisd", "2026-11-10", nieuwe_gemeentecode="0344"), [op_dag], LATER).values()
    assert v.is_verwijderd


def test_al_geeindigde_andere_client_en_oude_versies_blijven_ongemoeid():
    geeindigd = toewijzing(einddatum=date(2026, 10, 31))
    andere_client = toewijzing(toewijzing_nummer=101, bsn="999900018")
    v1 = toewijzing(toewijzing_nummer=102, product=Product("03", "03A01"))
    v2 = beeindig(v1, date(2026, 11, 5), "05", MOMENT.replace(hour=11))
    assert bij_brp_gebeurtenis(event("indicatie.client.overleden", "2026-11-10"), [geeindigd, andere_client, v1, v2], LATER) == {}


def test_onbekend_subject_geweigerd():
    with pytest.raises(DomainError):
        lees_brp_gebeurtenis("indicatie.client.gewijzigd", {})


def test_tr385_overlijden_does_not_delete_a_toewijzing_with_approved_prestaties():
    later = toewijzing(ingangsdatum=date(2026, 12, 1))
    with pytest.raises(DomainError, match=r"TR385 \(9385\)"):
        bij_brp_gebeurtenis(event("indicatie.client.overleden", "2026-11-10"), [later], LATER, {(later.gemeentecode, later.wet, later.toewijzing_nummer)})
