"""Beschikking events → toewijzingen and inschrijvingen (afgegeven, gewijzigd, ingetrokken)."""

from __future__ import annotations

from datetime import date

import pytest

from runtime.errors import DomainError
from toewijzing.domain.beschikking import bij_afgifte, bij_intrekking, bij_wijziging, lees_beschikking
from toewijzing.domain.toewijslijst import InschrijvingStatus
from toewijzing.domain.toewijzing import Omvang, Product, ToewijzingStatus, UitgesteldeVerwijdering
from toewijzing.tests.voorbeelden import AGB, AGB_2, LATER, MOMENT, beschikking_event, ids, nummers, product_event, toewijzing


def afgifte(event, overige=(), **kw):
    return bij_afgifte(lees_beschikking(event), list(overige), nieuw_nummer=nummers(), nieuw_id=ids(), moment=MOMENT, **kw)


def test_afgifte_met_gekozen_aanbieder_maakt_toewijzing_te_verzenden():
    b = afgifte(beschikking_event())
    (t,) = b.wijziging.nieuw
    assert (t.toewijzing_nummer, t.agb, t.beschikkingnummer, t.status, t.toewijzingsmoment, t.reden_wijziging) == (
        500, AGB, "123", ToewijzingStatus.TE_VERZENDEN, MOMENT, None
    )
    assert t.omvang == Omvang(4, "04", "2") and b.inschrijvingen == ()
    assert b.per_aanbieder() == {AGB: (t,)}


def test_afgifte_zonder_aanbieder_zet_client_op_toewijslijst():
    b = afgifte(beschikking_event(product_event(agb=None)), wijk="1011")
    (i,) = b.inschrijvingen
    assert b.wijziging.nieuw == ()
    assert (i.id, i.status, i.product, i.wijk, i.sinds, i.beschikkingnummer) == ("i1", InschrijvingStatus.OPEN, Product("02", "02A01"), "1011", MOMENT, "123")


def test_afgifte_taakgericht_geeft_geen_toewijzing():
    b = afgifte(beschikking_event(product_event(uitvoeringsvariant="taakgericht"), product_event(uitvoeringsvariant="taakgericht", agb=None)))
    assert b.wijziging.nieuw == () and b.inschrijvingen == ()


def test_afgifte_op259_stapeling_met_bestaande_toewijzing_geweigerd():
    with pytest.raises(DomainError, match="OP259"):
        afgifte(beschikking_event(), overige=[toewijzing(toewijzing_nummer=7, beschikkingnummer="99")])


def test_afgifte_geen_stapeling_bij_andere_aanbieder():
    b = afgifte(beschikking_event(), overige=[toewijzing(toewijzing_nummer=7, agb=AGB_2)])
    assert len(b.wijziging.nieuw) == 1


def wijziging(event, van_beschikking, overige=(), **kw):
    return bij_wijziging(lees_beschikking(event), van_beschikking, list(overige), nieuw_nummer=nummers(), nieuw_id=ids(), moment=LATER, **kw)


def test_wijziging_verlengt_einddatum_met_reden_van_event():
    t = toewijzing()
    b = wijziging(beschikking_event(product_event(einddatum="2027-06-30"), reden={"code": "04", "toelichting": ""}), [t])
    (v,) = b.wijziging.gewijzigd
    assert (v.toewijzing_nummer, v.einddatum, v.reden_wijziging) == (100, date(2027, 6, 30), "04") and b.wijziging.nieuw == ()


def test_wijziging_zonder_reden_kiest_verlenging_of_verkorting():
    t = toewijzing()
    langer = wijziging(beschikking_event(product_event(einddatum="2027-06-30")), [t])
    korter = wijziging(beschikking_event(product_event(einddatum="2026-06-30")), [t])
    assert langer.wijziging.gewijzigd[0].reden_wijziging == "04"
    assert korter.wijziging.gewijzigd[0].reden_wijziging == "05"


def test_wijziging_reden_01_wordt_14():
    b = wijziging(beschikking_event(product_event(einddatum="2026-06-30"), reden={"code": "01", "toelichting": ""}), [toewijzing()])
    assert b.wijziging.gewijzigd[0].reden_wijziging == "14"


def test_wijziging_omvang_per_week_beeindigt_en_maakt_nieuwe_toewijzing():
    t = toewijzing()
    event = beschikking_event(product_event(ingangsdatum="2026-12-01", omvang={"volume": 6, "eenheid": "04", "frequentie": "2"}), reden={"code": "14"})
    b = wijziging(event, [t])
    (oud,) = b.wijziging.gewijzigd
    (nieuw,) = b.wijziging.nieuw
    assert oud.einddatum == date(2026, 11, 30)
    assert (nieuw.toewijzing_nummer, nieuw.ingangsdatum, nieuw.omvang.volume) == (500, date(2026, 12, 1), 6)


def test_verdwenen_product_eindigt_op_besluitdag_of_wordt_verwijderd_als_niet_begonnen():
    begonnen = toewijzing()
    later = toewijzing(toewijzing_nummer=101, product=Product("03", "03A01"), ingangsdatum=date(2027, 1, 1), einddatum=None)
    b = wijziging(beschikking_event(product_event(categorie="07", code="07A01", agb=None), reden={"code": "14"}), [begonnen, later])
    eind, weg = b.wijziging.gewijzigd
    assert (eind.toewijzing_nummer, eind.einddatum, eind.reden_wijziging) == (100, LATER.date(), "14")
    assert weg.toewijzing_nummer == 101 and weg.is_verwijderd
    assert [i.product for i in b.inschrijvingen] == [Product("07", "07A01")]



def test_tr385_wijziging_past_alles_toe_behalve_de_verwijdering_die_wordt_uitgesteld():
    # the same change as above, but approved, non-credited prestaties exist on 101: its deletion is deferred,
    # 100 still ends on the day of the decision and the new product still goes to the toewijslijst
    begonnen = toewijzing()
    later = toewijzing(toewijzing_nummer=101, product=Product("03", "03A01"), ingangsdatum=date(2027, 1, 1), einddatum=None)
    event = beschikking_event(product_event(categorie="07", code="07A01", agb=None), reden={"code": "14"})
    b = wijziging(event, [begonnen, later], toegekend={(later.gemeentecode, later.wet, 101)})
    (eind,) = b.wijziging.gewijzigd
    assert (eind.toewijzing_nummer, eind.einddatum, eind.reden_wijziging) == (100, LATER.date(), "14")
    assert [(u.toewijzing_nummer, u.agb, u.sinds, u.regel, u.retourcode) for u in b.uitgesteld] == [(101, AGB, LATER, "TR385", "9385")]
    assert [i.product for i in b.inschrijvingen] == [Product("07", "07A01")]
    assert list(b.per_aanbieder()) == [AGB]  # only 100's end goes out in a 301 now

def test_nieuw_product_in_wijziging_wordt_nieuwe_toewijzing():
    b = wijziging(beschikking_event(product_event(), product_event(categorie="03", code="03A01"), reden={"code": "14"}), [toewijzing()])
    assert b.wijziging.gewijzigd == ()
    (nieuw,) = b.wijziging.nieuw
    assert nieuw.product == Product("03", "03A01")


def test_product_naar_andere_aanbieder_beeindigt_oude_en_maakt_nieuwe():
    b = wijziging(beschikking_event(product_event(ingangsdatum="2026-12-01", agb=AGB_2), reden={"code": "09"}), [toewijzing()])
    (oud,) = b.wijziging.gewijzigd
    (nieuw,) = b.wijziging.nieuw
    assert (oud.agb, oud.einddatum, oud.reden_wijziging) == (AGB, LATER.date(), "09")
    assert (nieuw.agb, nieuw.ingangsdatum) == (AGB_2, date(2026, 12, 1))


def test_wachtende_inschrijving_volgt_product_of_vervalt():
    eerst = lees_beschikking(beschikking_event(product_event(agb=None), product_event(categorie="03", code="03A01", agb=None)))
    inschrijvingen = bij_afgifte(eerst, [], nieuw_nummer=nummers(), nieuw_id=ids(), moment=MOMENT).inschrijvingen
    b = wijziging(beschikking_event(product_event(agb=None, einddatum="2027-03-31"), reden={"code": "04"}), [], inschrijvingen=inschrijvingen)
    aangepast, vervallen = b.gewijzigde_inschrijvingen
    assert (aangepast.id, aangepast.einddatum, aangepast.status) == ("i1", date(2027, 3, 31), InschrijvingStatus.OPEN)
    assert (vervallen.id, vervallen.status) == ("i2", InschrijvingStatus.VERVALLEN)
    assert b.inschrijvingen == ()


def test_intrekking_beeindigt_dag_voor_ingetrokken_per_en_verwijdert_niet_begonnen():
    lopend = toewijzing()
    later = toewijzing(toewijzing_nummer=101, product=Product("03", "03A01"), ingangsdatum=date(2026, 12, 1))
    al_geeindigd = toewijzing(toewijzing_nummer=102, product=Product("07", "07A01"), einddatum=date(2026, 3, 31))
    event = lees_beschikking(beschikking_event(ingetrokken_per="2026-12-01", reden={"code": "05", "toelichting": "herbeoordeling"}))
    b = bij_intrekking(event, [lopend, later, al_geeindigd], moment=LATER)
    eind, weg = b.wijziging.gewijzigd
    assert (eind.toewijzing_nummer, eind.einddatum, eind.reden_wijziging) == (100, date(2026, 11, 30), "05")
    assert (weg.toewijzing_nummer, weg.reden_wijziging, weg.einddatum) == (101, "13", date(2026, 12, 1))


def test_intrekking_laat_inschrijvingen_vervallen():
    inschrijvingen = afgifte(beschikking_event(product_event(agb=None))).inschrijvingen
    event = lees_beschikking(beschikking_event(ingetrokken_per="2026-12-01", reden={"code": "14"}))
    (i,) = bij_intrekking(event, [], moment=LATER, inschrijvingen=inschrijvingen).gewijzigde_inschrijvingen
    assert (i.status, i.vervallen_op) == (InschrijvingStatus.VERVALLEN, LATER)


def test_intrekking_zonder_ingetrokken_per_geweigerd():
    with pytest.raises(DomainError):
        bij_intrekking(lees_beschikking(beschikking_event()), [toewijzing()], moment=LATER)


def test_onleesbaar_event_geeft_domain_error():
    with pytest.raises(DomainError, match="malformed"):
        lees_beschikking({"bsn": "1"})


def test_tr385_intrekking_defers_the_deletion_of_a_toewijzing_with_approved_prestaties():
    # 101 begins on 1 December: withdrawn per 1 December it would be deleted (RedenWijziging 13), but the
    # declaratie service says approved, non-credited prestaties exist on it: the deletion is deferred
    # (not made, not raised), and 100 still ends the day before.
    later = toewijzing(toewijzing_nummer=101, product=Product("03", "03A01"), ingangsdatum=date(2026, 12, 1))
    event = lees_beschikking(beschikking_event(ingetrokken_per="2026-12-01", reden={"code": "05"}))
    besluit = bij_intrekking(event, [toewijzing(), later], moment=LATER, toegekend={(later.gemeentecode, later.wet, 101)})
    assert [(t.toewijzing_nummer, t.reden_wijziging, t.einddatum) for t in besluit.wijziging.gewijzigd] == [(100, "05", date(2026, 11, 30))]
    assert besluit.uitgesteld == (UitgesteldeVerwijdering(later.gemeentecode, later.wet, 101, later.bsn, later.agb, LATER),)
    assert besluit.uitgesteld[0].reden.startswith("TR385 (9385): toewijzing 101")
    # the same state for another toewijzing changes nothing: 101 is deleted, nothing deferred
    anders = bij_intrekking(event, [toewijzing(), later], moment=LATER, toegekend={(later.gemeentecode, later.wet, 100)})
    assert [(t.toewijzing_nummer, t.reden_wijziging) for t in anders.wijziging.gewijzigd] == [(100, "05"), (101, "13")]
    assert anders.uitgesteld == ()
