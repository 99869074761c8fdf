"""Verzoeken (315 / 317): building them, their lifecycle, honouring them and the 319."""

from __future__ import annotations

import itertools
from dataclasses import replace
from datetime import date, datetime

import pytest

from berichten.controle import Controleur
from runtime.domein import Wet
from runtime.errors import DomainError
from toewijzing.domain.toewijzing import Omvang, Product
from toewijzing.domain.verzoek import (
    GevraagdProductSoort,
    VerzoekStatus,
    antwoordbericht,
    gehonoreerd,
    honoreer,
    verzoek_uit_vow,
    verzoeken_uit_vot,
    wijs_af,
    zet_in_onderzoek,
    zoek_verzoek,
)
from toewijzing.tests.regie_voorbeelden import WET, codec, toewijzing, voorbeeld

MOMENT = datetime(2023, 7, 18, 9, 30)


def vot():
    return verzoeken_uit_vot(voorbeeld("JW315"), WET, date(2023, 7, 15), "b-315")


def vow():
    return verzoek_uit_vow(voorbeeld("JW317"), WET, date(2023, 1, 3), "b-317")


def nummers():
    teller = itertools.count(500)
    return lambda: next(teller)


def test_vot_geeft_een_verzoek_per_aangevraagd_product() -> None:
    verzoeken = vot()
    assert [v.referentie_aanbieder for v in verzoeken] == ["40A12341234", "40A12341235"]
    v = verzoeken[0]
    assert (v.soort, v.gemeentecode, v.agb, v.bsn, v.status) == ("315", "0384", "42420001", "999900006", VerzoekStatus.OPEN)
    (p,) = v.producten
    assert p.soort is GevraagdProductSoort.AANGEVRAAGD
    assert (p.product, p.ingangsdatum, p.einddatum, p.omvang, p.beschikkingnummer) == (
        Product("55", "55A11"), date(2023, 4, 1), date(2024, 7, 19), Omvang(2, "16", "4"), "123"
    )


def test_vow_geeft_een_verzoek_met_alle_producten() -> None:
    v = vow()
    assert (v.soort, v.referentie_aanbieder, v.reden_verzoek) == ("317", "9003", "1")
    assert [(p.soort, p.toewijzing_nummer) for p in v.producten] == [(GevraagdProductSoort.ONGEWIJZIGD, 10071), (GevraagdProductSoort.NIEUW, None)]


def test_in_onderzoek_en_daarna_afwijzen() -> None:
    v = zet_in_onderzoek(vow(), date(2023, 1, 5))
    assert (v.status, v.in_onderzoek_sinds) == (VerzoekStatus.IN_ONDERZOEK, date(2023, 1, 5))
    v = wijs_af(v, "3", date(2023, 2, 1))
    assert (v.status, v.reden_afwijzing, v.beantwoord_op) == (VerzoekStatus.AFGEWEZEN, "3", date(2023, 2, 1))


def test_tr360_maar_een_keer_in_onderzoek() -> None:
    v = zet_in_onderzoek(vow(), date(2023, 1, 5))
    with pytest.raises(DomainError, match="TR360"):
        zet_in_onderzoek(v, date(2023, 1, 6))


def test_tr365_na_afwijzing_geen_tweede_antwoord() -> None:
    v = wijs_af(vow(), "3", date(2023, 1, 5))
    with pytest.raises(DomainError, match="TR365"):
        wijs_af(v, "4", date(2023, 1, 6))
    with pytest.raises(DomainError, match="TR360"):
        zet_in_onderzoek(v, date(2023, 1, 6))


def test_tr359_geen_319_na_honorering() -> None:
    v = gehonoreerd(vow(), date(2023, 1, 5))
    with pytest.raises(DomainError, match="TR359"):
        wijs_af(v, "3", date(2023, 1, 6))
    with pytest.raises(DomainError, match="TR359"):
        zet_in_onderzoek(v, date(2023, 1, 6))
    with pytest.raises(DomainError, match="TR359"):
        honoreer(v, {}, MOMENT, nummers())


def test_tr355_referentie_moet_bestaan() -> None:
    verzoeken = vot()
    assert zoek_verzoek(verzoeken, "42420001", WET, "40A12341235") == verzoeken[1]
    with pytest.raises(DomainError, match="TR355"):
        zoek_verzoek(verzoeken, "42420001", WET, "onbekend")
    with pytest.raises(DomainError, match="TR355"):
        zoek_verzoek(verzoeken, "42420001", Wet.WMO, "40A12341234")


def test_honoreer_vot_geeft_nieuwe_toewijzing_met_referentie() -> None:
    """TR379: the ToegewezenProduct carries the AangevraagdProduct's ReferentieAanbieder."""
    wijziging = honoreer(vot()[0], {}, MOMENT, nummers())
    assert wijziging.gewijzigd == ()
    (t,) = wijziging.nieuw
    assert (t.toewijzing_nummer, t.referentie_aanbieder, t.product, t.ingangsdatum, t.einddatum) == (
        500, "40A12341234", Product("55", "55A11"), date(2023, 4, 1), date(2024, 7, 19)
    )
    assert (t.gemeentecode, t.agb, t.bsn, t.omvang, t.beschikkingnummer, t.toewijzingsmoment) == (
        "0384", "42420001", "999900006", Omvang(2, "16", "4"), "123", MOMENT
    )


def test_honoreer_vot_die_zou_stapelen_wordt_geweigerd() -> None:
    bestaand = toewijzing(300, "55A11", gemeentecode="0384", agb="42420001", einddatum=None)
    with pytest.raises(DomainError, match="OP259"):
        honoreer(vot()[0], [bestaand], MOMENT, nummers())


def test_honoreer_vow_precies_zoals_gevraagd() -> None:
    """OP348 / IV093: te wijzigen via wijzig, nieuw as new toewijzingen, ongewijzigd untouched, all with the VOW's referentie."""
    ongewijzigd = toewijzing(10071, "45A01", gemeentecode="0384", product=Product("45", "45A01"), ingangsdatum=date(2022, 6, 1))
    te_wijzigen = toewijzing(10080, "45A02", gemeentecode="0384", product=Product("45", "45A02"), ingangsdatum=date(2022, 6, 1))
    v = vow()
    extra = replace(v.producten[0], soort=GevraagdProductSoort.TE_WIJZIGEN, toewijzing_nummer=10080, ingangsdatum=date(2022, 6, 1), einddatum=date(2024, 6, 30), omvang=te_wijzigen.omvang)
    v = replace(v, producten=(*v.producten, extra))
    wijziging = honoreer(v, [ongewijzigd, te_wijzigen], MOMENT, nummers())
    (verlengd,) = wijziging.gewijzigd
    assert (verlengd.toewijzing_nummer, verlengd.einddatum, verlengd.reden_wijziging, verlengd.referentie_aanbieder) == (10080, date(2024, 6, 30), "12", "9003")
    (nieuw,) = wijziging.nieuw
    assert (nieuw.product, nieuw.ingangsdatum, nieuw.einddatum, nieuw.omvang, nieuw.referentie_aanbieder) == (
        Product("45", "45A03"), date(2023, 11, 1), date(2024, 2, 28), Omvang(4, "04", "4"), "9003"
    )
    assert all(t.toewijzing_nummer != 10071 for t in (*wijziging.gewijzigd, *wijziging.nieuw))


def test_honoreer_vow_met_onbekende_toewijzing() -> None:
    with pytest.raises(DomainError, match="TR350"):
        honoreer(vow(), [], MOMENT, nummers())


def test_antwoordbericht_afgewezen_volgens_xsd_en_geaccepteerd() -> None:
    v = wijs_af(vot()[0], "3", date(2023, 7, 18))
    bericht = antwoordbericht(v, "A-1", date(2023, 7, 18), schemas=codec().schemas)
    assert (bericht.header.bericht_code, bericht.header.afzender, bericht.header.ontvanger) == (488, "0384", "42420001")
    assert (bericht.antwoord.referentie_aanbieder, bericht.antwoord.verzoek_antwoord, bericht.antwoord.reden_afwijzing_verzoek) == ("40A12341234", "1", "3")
    data = codec().encode(bericht)
    assert Controleur(codec()).controleer(data, date(2023, 7, 18)).geaccepteerd


def test_antwoordbericht_in_onderzoek() -> None:
    v = zet_in_onderzoek(vow(), date(2023, 1, 5))
    bericht = antwoordbericht(v, "A-2", date(2023, 1, 5), schemas=codec().schemas)
    assert (bericht.antwoord.verzoek_antwoord, bericht.antwoord.reden_afwijzing_verzoek, bericht.antwoord.woonplaatsbeginsel) == ("2", None, None)
    assert Controleur(codec()).controleer(codec().encode(bericht), date(2023, 1, 5)).geaccepteerd


def test_antwoordbericht_woonplaatsbeginsel_alleen_bij_reden_8() -> None:
    v = wijs_af(vot()[0], "8", date(2023, 7, 18))
    with pytest.raises(DomainError, match="TR377"):
        antwoordbericht(v, "A-3", date(2023, 7, 18), schemas=codec().schemas)
    bericht = antwoordbericht(v, "A-3", date(2023, 7, 18), woonplaatsbeginsel="1916", schemas=codec().schemas)
    assert bericht.antwoord.woonplaatsbeginsel.gemeente == "1916"
    assert Controleur(codec()).controleer(codec().encode(bericht), date(2023, 7, 18)).geaccepteerd
    with pytest.raises(DomainError, match="TR409"):
        antwoordbericht(wijs_af(vot()[0], "3", date(2023, 7, 18)), "A-4", date(2023, 7, 18), woonplaatsbeginsel="1916")


def test_antwoordbericht_iwmo_heeft_geen_woonplaatsbeginsel() -> None:
    v = replace(wijs_af(vot()[0], "8", date(2023, 7, 18)), wet=Wet.WMO)
    bericht = antwoordbericht(v, "A-5", date(2023, 7, 18), schemas=codec().schemas)
    assert bericht.antwoord.woonplaatsbeginsel is None
    assert Controleur(codec()).controleer(codec().encode(bericht), date(2023, 7, 18)).geaccepteerd


def test_geen_antwoordbericht_voor_open_verzoek() -> None:
    with pytest.raises(DomainError):
        antwoordbericht(vow(), "A-6", date(2023, 1, 5))
